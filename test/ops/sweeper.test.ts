import { generateKeyPairSync, randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import nock from "nock";
import { pino } from "pino";
import { Redis } from "ioredis";
import { ProbotOctokit } from "probot";
import { createMetrics } from "../../src/metrics/index.js";
import { redisDeliveryLedger } from "../../src/ops/delivery-ledger.js";
import { startSweeper } from "../../src/ops/sweeper-schedule.js";
import { sweepFailedDeliveries } from "../../src/ops/sweeper.js";
import type { AppOctokit } from "../../src/ops/sweeper.js";

const API = "https://api.github.com";
const prefix = `slg-test-sweeper-${randomUUID().slice(0, 8)}`;
const redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
const log = pino({ level: "silent" });
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs1", format: "pem" })
  .toString();

/** Authenticated as the App itself: every /app request carries a freshly signed JWT. */
function appOctokit(): AppOctokit {
  return new ProbotOctokit({
    auth: { appId: 1, privateKey },
    retry: { enabled: false },
    throttle: { enabled: false },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
}

const NOW = Date.parse("2026-11-30T12:00:00Z");
const hoursAgo = (hours: number) => new Date(NOW - hours * 3_600_000).toISOString();

function delivery(id: number, guid: string, hours: number, statusCode: number, redelivery = false) {
  return {
    id,
    guid,
    delivered_at: hoursAgo(hours),
    redelivery,
    duration: 0.5,
    status: statusCode === 200 ? "OK" : `Invalid HTTP Response: ${statusCode}`,
    status_code: statusCode,
    event: "push",
    action: null,
    installation_id: 9,
    repository_id: 10,
    throttled_at: null,
  };
}

const onlyJwt = { reqheaders: { authorization: (value: string) => /^bearer [\w-]+\.[\w-]+\.[\w-]+$/i.test(value) } };

afterEach(() => {
  nock.cleanAll();
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe("sweepFailedDeliveries", () => {
  it("redelivers a failed delivery exactly once across two runs, following the cursor across pages", async () => {
    const ledger = redisDeliveryLedger(redis, `${prefix}-a`);
    const metrics = createMetrics({ processMetrics: false });
    // Run 1: page 1 has a success, the failure and a failure later fixed by a redelivery; page 2 the old ones.
    nock(API, onlyJwt)
      .get("/app/hook/deliveries")
      .query({ per_page: "100" })
      .reply(
        200,
        [delivery(105, "fixed", 1, 200, true), delivery(104, "ok", 2, 200), delivery(103, "lost", 3, 503), delivery(102, "fixed", 4, 500)],
        { link: `<${API}/app/hook/deliveries?per_page=100&cursor=v1_102>; rel="next"` },
      )
      .get("/app/hook/deliveries")
      .query({ per_page: "100", cursor: "v1_102" })
      .reply(200, [delivery(101, "too-old", 80, 502)]);
    nock(API, onlyJwt).post("/app/hook/deliveries/103/attempts").reply(202, {});

    const first = await sweepFailedDeliveries({ octokit: appOctokit(), ledger, log, metrics, now: NOW, pauseMs: 0 });
    expect(first).toMatchObject({ seen: 4, failed: 1, redelivered: ["lost"], alreadyRedelivered: 0, errors: 0 });
    expect(nock.pendingMocks()).toEqual([]);

    // Run 2: GitHub now also lists the redelivery attempt, which failed again. No second request.
    nock(API, onlyJwt)
      .get("/app/hook/deliveries")
      .query({ per_page: "100" })
      .reply(200, [delivery(106, "lost", 0.5, 503, true), delivery(103, "lost", 3, 503), delivery(101, "too-old", 80, 502)]);
    const second = await sweepFailedDeliveries({ octokit: appOctokit(), ledger, log, metrics, now: NOW, pauseMs: 0 });
    expect(second).toMatchObject({ failed: 1, redelivered: [], alreadyRedelivered: 1 });
    expect(nock.pendingMocks()).toEqual([]);
    expect(await metrics.render()).toContain('stripe_leak_guard_webhook_redeliveries_total{outcome="requested"} 1');
  });

  it("gives the claim back when GitHub refuses, so the next sweep asks again", async () => {
    const ledger = redisDeliveryLedger(redis, `${prefix}-b`);
    const list = () =>
      nock(API).get("/app/hook/deliveries").query({ per_page: "100" }).reply(200, [delivery(201, "flaky", 1, 500)]);
    list();
    nock(API).post("/app/hook/deliveries/201/attempts").reply(422, { message: "Validation Failed" });
    const first = await sweepFailedDeliveries({ octokit: appOctokit(), ledger, log, now: NOW, pauseMs: 0 });
    expect(first).toMatchObject({ redelivered: [], errors: 1 });

    list();
    nock(API).post("/app/hook/deliveries/201/attempts").reply(202, {});
    const second = await sweepFailedDeliveries({ octokit: appOctokit(), ledger, log, now: NOW, pauseMs: 0 });
    expect(second).toMatchObject({ redelivered: ["flaky"], errors: 0 });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("remembers a redelivered guid in Redis for longer than GitHub's three days", async () => {
    const ledgerPrefix = `${prefix}-c`;
    const ledger = redisDeliveryLedger(redis, ledgerPrefix);
    expect(await ledger.claim("g")).toBe(true);
    expect(await ledger.claim("g")).toBe(false);
    const ttl = await redis.ttl(`${ledgerPrefix}:slg:redelivered:g`);
    expect(ttl).toBeGreaterThan(3 * 24 * 3600);
  });
});

describe("startSweeper", () => {
  it("runs on a BullMQ job scheduler and redelivers exactly once over two scheduled runs", async () => {
    const schedulerPrefix = `${prefix}-sched`;
    const listing = [delivery(301, "missed", 1, 504), delivery(300, "fine", 2, 200)].map((entry) => ({
      ...entry,
      delivered_at: new Date(Date.now() - 3_600_000).toISOString(),
    }));
    nock(API, onlyJwt).get("/app/hook/deliveries").query({ per_page: "100" }).times(2).reply(200, listing);
    const redeliver = nock(API, onlyJwt).post("/app/hook/deliveries/301/attempts").reply(202, {});

    const sweeper = await startSweeper({ connection: redis, prefix: schedulerPrefix, appOctokit: async () => appOctokit(), log, everyMs: 500, pauseMs: 0 });
    const results: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      sweeper.worker.on("completed", (_job, result) => {
        results.push(result);
        if (results.length === 2) resolve();
      });
      sweeper.worker.on("failed", (_job, error) => reject(error));
    });
    await sweeper.worker.pause();
    await sweeper.queue.removeJobScheduler("webhook-delivery-sweeper");
    await sweeper.close();

    expect(redeliver.isDone()).toBe(true);
    expect(results).toMatchObject([{ redelivered: ["missed"] }, { redelivered: [], alreadyRedelivered: 1 }]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
