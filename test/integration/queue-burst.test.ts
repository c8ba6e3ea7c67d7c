/*
 * The queue end to end: signed webhooks into the real server (Probot
 * verification, the App's handlers, the BullMQ dispatcher), two real worker
 * processes running a test processor table that records its work in Redis.
 * GitHub is never contacted.
 */
import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebhookServer } from "../../src/probot/webhook-server.js";
import { createProducerConnection } from "../../src/queue/connection.js";
import { createBullDispatcher, type BullDispatcher } from "../../src/queue/dispatcher.js";
import { fakeKey } from "../helpers/fake-keys.js";
import { connect, deleteWithPrefix, keysWithPrefix, SHARED_REDIS_URL, uniquePrefix } from "../helpers/redis.js";
import { startAppWebhookServer } from "../queue/fixtures/app-webhook-server.js";
import { captureLog } from "../queue/fixtures/jobs.js";
import { deliver, deliverAll, pushPayload, signedDelivery } from "../queue/fixtures/webhooks.js";
import { spawnWorker, stopWorker, waitFor, type WorkerProcess } from "../queue/fixtures/worker-processes.js";

const secret = randomBytes(16).toString("hex");
const prefix = uniquePrefix("burst");
const canary = fakeKey("sk", "live");
const captured = captureLog();
let admin: Redis;
let scan: Queue;
let dispatcher: BullDispatcher;
let server: WebhookServer;
let url: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  admin = connect();
  scan = new Queue("scan", { connection: admin, prefix });
  dispatcher = createBullDispatcher({ connection: createProducerConnection(SHARED_REDIS_URL), prefix, log: captured.log });
  ({ server, url } = await startAppWebhookServer({ dispatcher, secret, log: captured.log }));
  for (let i = 0; i < 2; i++) {
    workers.push(await spawnWorker({ SLGT_REDIS_URL: SHARED_REDIS_URL, SLGT_PREFIX: prefix, SLGT_WORK_MS: "5", SLGT_CANARY: canary, SLGT_LOG_LEVEL: "debug" }));
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map(stopWorker));
  await server?.close();
  await dispatcher?.close();
  await scan?.close();
  await deleteWithPrefix(admin, prefix);
  admin.disconnect();
}, 30_000);

describe("webhooks through the queue to two worker processes", () => {
  it("acknowledges a burst of 500 deliveries and processes every one", { timeout: 90_000 }, async () => {
    const payloads = Array.from({ length: 500 }, () => pushPayload());
    const statuses = await deliverAll(url, payloads.map((payload) => signedDelivery(secret, "push", payload)), 25);
    expect(statuses.filter((status) => status !== 202)).toEqual([]);

    await waitFor(async () => (await admin.hlen(`${prefix}:test:done`)) >= 500, "500 jobs to finish", 80_000);
    const done = await admin.hgetall(`${prefix}:test:done`);
    // At least once each (a job whose worker stalls may run twice; that is BullMQ's contract).
    for (const payload of payloads) expect(Number(done[payload.after])).toBeGreaterThanOrEqual(1);
    const by = new Set(Object.values(await admin.hgetall(`${prefix}:test:by`)));
    expect(by).toEqual(new Set(workers.map((worker) => String(worker.pid))));
  });

  it("runs the same delivery sent 5 times concurrently exactly once across the 2 workers", { timeout: 30_000 }, async () => {
    const payload = pushPayload({ sender: "incident" });
    const delivery = signedDelivery(secret, "push", payload);
    const statuses = await Promise.all(Array.from({ length: 5 }, () => deliver(url, delivery)));
    expect(statuses).toEqual([202, 202, 202, 202, 202]);
    // A redelivery (new delivery id, same content) later is recognised too.
    expect(await deliver(url, signedDelivery(secret, "push", payload))).toBe(202);

    await waitFor(async () => (await admin.hget(`${prefix}:test:done`, payload.after)) !== null, "the job");
    await waitFor(async () => {
      const counts = await scan.getJobCounts("wait", "active", "delayed");
      return (counts.wait ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) === 0;
    }, "the queue to drain");
    // One job for six deliveries, and one side effect.
    const jobs = (await scan.getJobs(["completed", "failed"])).filter((job) => job.data.after === payload.after);
    expect(jobs).toHaveLength(1);
    expect(await admin.hget(`${prefix}:test:runs`, payload.after)).toBe("1");
    expect(await admin.get(`${prefix}:test:created:${payload.ref}`)).toBe("1");
  });

  it("opens one incident when 5 different pushes of the same key race across the 2 workers", { timeout: 30_000 }, async () => {
    // Different commits, so no dedupe: the Redis lock alone keeps lookup-and-create to one winner.
    const ref = "refs/heads/race";
    const payloads = Array.from({ length: 5 }, () => ({ ...pushPayload({ sender: "incident" }), ref }));
    const statuses = await Promise.all(payloads.map((payload) => deliver(url, signedDelivery(secret, "push", payload))));
    expect(statuses).toEqual([202, 202, 202, 202, 202]);
    await waitFor(async () => {
      const done = await admin.hmget(`${prefix}:test:done`, ...payloads.map((payload) => payload.after));
      return done.every((value) => value !== null);
    }, "the five jobs");
    expect(await admin.get(`${prefix}:test:created:${ref}`)).toBe("1");
  });

  it("stores a planted canary key nowhere in Redis", { timeout: 30_000 }, async () => {
    // In the commit message of the webhook, and in the worker's memory, log line and first (failing) attempt's error.
    const payload = pushPayload({ sender: "canary", message: `add config ${canary}` });
    expect(await deliver(url, signedDelivery(secret, "push", payload))).toBe(202);
    await waitFor(async () => (await admin.hget(`${prefix}:test:done`, payload.after)) !== null, "the canary job (after a retry)");
    expect(Number(await admin.hget(`${prefix}:test:canary-attempts`, payload.after))).toBeGreaterThanOrEqual(2);

    const keys = await keysWithPrefix(admin, prefix);
    expect(keys.length).toBeGreaterThan(10);
    let dumped = 0;
    for (const key of keys) {
      const raw = await admin.dumpBuffer(key);
      if (raw) {
        dumped++;
        expect(raw.includes(canary), `DUMP ${key}`).toBe(false);
      }
      expect(JSON.stringify(await readKey(admin, key)).includes(canary), key).toBe(false);
    }
    // Keys with a short TTL (the stalled-check marker) may vanish between SCAN and DUMP.
    expect(dumped).toBeGreaterThan(10);
    // Job payloads, failure reasons and stack traces, read through BullMQ as well.
    const jobs = await scan.getJobs(["completed", "failed", "delayed", "wait", "active"]);
    expect(JSON.stringify(jobs.map((job) => job.asJSON())).includes(canary)).toBe(false);
    // The workers' own logs are scrubbed too.
    for (const worker of workers) expect(worker.output().includes(canary)).toBe(false);
    expect(workers.some((worker) => worker.output().includes("sk_live_…"))).toBe(true);
  });
});

async function readKey(client: Redis, key: string): Promise<unknown> {
  switch (await client.type(key)) {
    case "string":
      return client.get(key);
    case "hash":
      return client.hgetall(key);
    case "list":
      return client.lrange(key, 0, -1);
    case "set":
      return client.smembers(key);
    case "zset":
      return client.zrange(key, 0, -1, "WITHSCORES");
    case "stream":
      return client.xrange(key, "-", "+");
    default:
      return null;
  }
}
