import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { createRedisLock, LockTimeoutError } from "../../src/lock/redis-lock.js";
import { keysWithPrefix, uniquePrefix } from "../helpers/redis.js";
import { twoRedisClientsPerFile } from "../helpers/redis-clients-per-file.js";

const prefix = uniquePrefix("lock");
let a: Redis;
let b: Redis;
twoRedisClientsPerFile(prefix, (first, second) => ([a, b] = [first, second]));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("createRedisLock", () => {
  it("lets only one of two clients hold a key at a time, and both eventually run", async () => {
    const lockA = createRedisLock({ client: a, keyPrefix: `${prefix}:lock` });
    const lockB = createRedisLock({ client: b, keyPrefix: `${prefix}:lock` });
    let holders = 0;
    let maxHolders = 0;
    const order: string[] = [];
    const critical = (who: string) => async () => {
      holders++;
      maxHolders = Math.max(maxHolders, holders);
      order.push(`${who}+`);
      await sleep(30);
      order.push(`${who}-`);
      holders--;
      return who;
    };
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? lockA : lockB).withLock("octo/app:fp1", critical(`w${i}`))),
    );
    expect(results).toEqual(["w0", "w1", "w2", "w3", "w4", "w5"]);
    expect(maxHolders).toBe(1);
    // Every entry is immediately followed by its own exit.
    for (let i = 0; i < order.length; i += 2) expect(order[i]?.slice(0, -1)).toBe(order[i + 1]?.slice(0, -1));
  });

  it("gives the incident lookup-and-create race exactly one winner", async () => {
    const locks = [a, b].map((client) => createRedisLock({ client, keyPrefix: `${prefix}:lock` }));
    const issueKey = `${prefix}:issue`;
    let created = 0;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        locks[i % 2]!.withLock("octo/app:fp2", async () => {
          if ((await a.exists(issueKey)) === 0) {
            await sleep(10); // the create call's latency, where a second creator would slip in
            await a.set(issueKey, "1");
            created++;
          }
        }),
      ),
    );
    expect(created).toBe(1);
  });

  it("does not serialise different keys", async () => {
    const lock = createRedisLock({ client: a, keyPrefix: `${prefix}:lock` });
    let concurrent = 0;
    let maxConcurrent = 0;
    await Promise.all(
      ["k1", "k2", "k3"].map((key) =>
        lock.withLock(key, async () => {
          concurrent++;
          maxConcurrent = Math.max(maxConcurrent, concurrent);
          await sleep(50);
          concurrent--;
        }),
      ),
    );
    expect(maxConcurrent).toBe(3);
  });

  it("releases on error, and only its own token", async () => {
    const lock = createRedisLock({ client: a, keyPrefix: `${prefix}:lock` });
    await expect(lock.withLock("k-err", () => Promise.reject(new Error("inner")))).rejects.toThrow("inner");
    expect(await a.exists(`${prefix}:lock:k-err`)).toBe(0);

    // A holder whose lock expired and was taken over must not delete the new holder's lock.
    const short = createRedisLock({ client: a, keyPrefix: `${prefix}:lock`, ttlMs: 10_000 });
    await short.withLock("k-steal", async () => {
      await a.set(`${prefix}:lock:k-steal`, "someone-else");
    });
    expect(await a.get(`${prefix}:lock:k-steal`)).toBe("someone-else");
  });

  it("renews the lock while a long holder runs", async () => {
    const lock = createRedisLock({ client: a, keyPrefix: `${prefix}:lock`, ttlMs: 600 });
    const other = createRedisLock({ client: b, keyPrefix: `${prefix}:lock`, ttlMs: 600, maxWaitMs: 200 });
    await lock.withLock("k-long", async () => {
      await sleep(1_500); // well past the TTL: only renewal keeps the key
      await expect(other.withLock("k-long", async () => "stolen")).rejects.toBeInstanceOf(LockTimeoutError);
    });
    expect(await keysWithPrefix(a, `${prefix}:lock:k-long`)).toEqual([]);
  });
});
