import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { KeyedLock } from "./keyed-lock.js";

/*
 * A KeyedLock shared by every worker on every machine: SET NX PX with a
 * random token, renewed while the holder runs, released only by its holder
 * (compare-and-delete in Lua). Used to serialise incident lookup-and-create
 * per (repo, fingerprint), so two workers never open two issues.
 *
 * This is a single-Redis lock, not Redlock: if Redis loses the key (restart
 * without AOF, failover) two holders can overlap. Processors stay idempotent
 * (they look for the incident marker first) so that overlap costs at most a
 * repeated lookup, and the docs ask for AOF.
 */

const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;
const RENEW = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) else return 0 end`;

export interface RedisLockOptions {
  /** A connection that waits for Redis (worker-style), since a lock is only taken inside jobs. */
  client: Redis;
  /** Key prefix, e.g. "slg:slg:lock". */
  keyPrefix: string;
  /** How long a lock outlives a crashed holder. Renewed every third of it. */
  ttlMs?: number;
  /** Give up (and let the job retry) after waiting this long. */
  maxWaitMs?: number;
  log?: Logger;
}

export class LockTimeoutError extends Error {
  override name = "LockTimeoutError";
}

export function createRedisLock(options: RedisLockOptions): KeyedLock {
  const { client, keyPrefix, log } = options;
  const ttlMs = options.ttlMs ?? 30_000;
  const maxWaitMs = options.maxWaitMs ?? 60_000;

  async function acquire(key: string, token: string): Promise<void> {
    const started = Date.now();
    let delay = 25;
    for (;;) {
      if ((await client.set(key, token, "PX", ttlMs, "NX")) === "OK") return;
      if (Date.now() - started > maxWaitMs) throw new LockTimeoutError(`waited over ${maxWaitMs} ms for a lock`);
      await sleep(delay / 2 + Math.random() * delay);
      delay = Math.min(delay * 2, 1_000);
    }
  }

  return {
    async withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
      const key = `${keyPrefix}:${name}`;
      const token = randomUUID();
      await acquire(key, token);
      const renewal = setInterval(() => {
        client.eval(RENEW, 1, key, token, String(ttlMs)).then(
          (kept) => {
            if (kept === 0) log?.warn({ lock: name }, "lost a lock while holding it; the work it guards is idempotent");
          },
          () => undefined,
        );
      }, Math.max(10, Math.floor(ttlMs / 3)));
      try {
        return await fn();
      } finally {
        clearInterval(renewal);
        // If Redis is down the key expires on its own after ttlMs.
        await client.eval(RELEASE, 1, key, token).catch(() => undefined);
      }
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
