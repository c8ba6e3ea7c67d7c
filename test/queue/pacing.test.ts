import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { RetryLaterError } from "../../src/queue/errors.js";
import { createMemoryPacer, createRedisPacer, paceWrites } from "../../src/queue/pacing.js";
import { uniquePrefix } from "../helpers/redis.js";
import { twoRedisClientsPerFile } from "../helpers/redis-clients-per-file.js";

const prefix = uniquePrefix("pace");
let a: Redis;
let b: Redis;
twoRedisClientsPerFile(prefix, (first, second) => ([a, b] = [first, second]));

// Scaled-down windows: "minute" = 400 ms, "hour" = 2 s.
const limits = { perMinute: 3, perHour: 5, spacingMs: 0, minuteMs: 400, hourMs: 2_000 };

async function recordedTimes(client: Redis, key: string): Promise<number[]> {
  const entries = await client.zrange(key, 0, -1, "WITHSCORES");
  return entries.filter((_, i) => i % 2 === 1).map(Number);
}

describe("createRedisPacer", () => {
  it("keeps two workers together within the per-window budget of one installation", async () => {
    const keyPrefix = `${prefix}:shared`;
    const perMinuteOnly = { ...limits, perHour: 100 };
    const pacers = [a, b].map((client) => createRedisPacer({ client, keyPrefix, limits: perMinuteOnly, maxBlockMs: 10_000 }));
    await Promise.all(Array.from({ length: 6 }, (_, i) => pacers[i % 2]!.acquire(7)));
    const times = await recordedTimes(a, `${keyPrefix}:7`);
    expect(times).toHaveLength(6);
    // Any 3+1 consecutive writes span at least one "minute" window.
    for (let i = 3; i < times.length; i++) expect(times[i]! - times[i - 3]!).toBeGreaterThanOrEqual(limits.minuteMs);
  });

  it("paces each installation separately", async () => {
    const keyPrefix = `${prefix}:separate`;
    const pacer = createRedisPacer({ client: a, keyPrefix, limits, maxBlockMs: 10_000 });
    await Promise.all([1, 1, 1, 2, 2, 2].map((installation) => pacer.acquire(installation)));
    expect(await recordedTimes(a, `${keyPrefix}:1`)).toHaveLength(3);
    expect(await recordedTimes(a, `${keyPrefix}:2`)).toHaveLength(3);
  });

  it("hands a long wait back to the queue as RetryLaterError instead of blocking", async () => {
    const keyPrefix = `${prefix}:hour`;
    const pacer = createRedisPacer({ client: a, keyPrefix, limits: { ...limits, perMinute: 100, hourMs: 60_000 }, maxBlockMs: 100 });
    for (let i = 0; i < 5; i++) await pacer.acquire(9);
    const error = await pacer.acquire(9).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).retryAfterMs).toBeGreaterThan(50_000);
  });

  it("spaces writes apart", async () => {
    const keyPrefix = `${prefix}:spacing`;
    const pacer = createRedisPacer({ client: a, keyPrefix, limits: { ...limits, perMinute: 100, perHour: 100, spacingMs: 60 } });
    await Promise.all([pacer.acquire(3), pacer.acquire(3), pacer.acquire(3)]);
    const times = await recordedTimes(a, `${keyPrefix}:3`);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(60);
  });
});

describe("createMemoryPacer", () => {
  it("applies the same windows in one process", async () => {
    const pacer = createMemoryPacer(limits);
    const times: number[] = [];
    const start = Date.now();
    await Promise.all(Array.from({ length: 4 }, () => pacer.acquire(1).then(() => times.push(Date.now()))));
    times.sort((x, y) => x - y);
    // The fourth write waits until the first (made no earlier than `start`) leaves the window.
    expect(times[3]! - start).toBeGreaterThanOrEqual(limits.minuteMs);
  });
});

describe("paceWrites", () => {
  it("paces POST/PATCH/PUT/DELETE and lets reads, GraphQL and token requests through", async () => {
    const seen: number[] = [];
    let hook: ((options: { method?: string; url?: string }) => Promise<void> | void) | undefined;
    const octokit = { hook: { before: (_name: "request", fn: typeof hook) => (hook = fn) } };
    paceWrites(octokit, 5, { acquire: async (id) => void seen.push(id) });
    for (const [method, url] of [
      ["GET", "/repos/{owner}/{repo}"],
      ["POST", "/repos/{owner}/{repo}/issues"],
      ["PATCH", "/repos/{owner}/{repo}/issues/{issue_number}"],
      ["POST", "/graphql"],
      ["POST", "/app/installations/{installation_id}/access_tokens"],
      ["DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}"],
    ] as const) {
      await hook?.({ method, url });
    }
    expect(seen).toEqual([5, 5, 5]);
  });
});

describe("paceWrites on a real installation Octokit", () => {
  it("waits for the pacer before each write and never before a read", async () => {
    const nock = (await import("nock")).default;
    const { testOctokit, TEST_API } = await import("../helpers/octokit.js");
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1:6379");
    try {
      const scope = nock(TEST_API)
        .get("/repos/octo/app")
        .reply(200, { id: 1 })
        .post("/repos/octo/app/issues")
        .reply(201, { number: 7 })
        .patch("/repos/octo/app/issues/7")
        .reply(200, { number: 7 });
      const asked: string[] = [];
      const octokit = paceWrites(testOctokit(), 12, { acquire: async (id) => void asked.push(`pace ${id}`) });
      await octokit.rest.repos.get({ owner: "octo", repo: "app" });
      await octokit.rest.issues.create({ owner: "octo", repo: "app", title: "t" });
      await octokit.rest.issues.update({ owner: "octo", repo: "app", issue_number: 7, state: "closed" });
      expect(asked).toEqual(["pace 12", "pace 12"]);
      expect(scope.isDone()).toBe(true);
    } finally {
      nock.cleanAll();
      nock.enableNetConnect();
    }
  });
});
