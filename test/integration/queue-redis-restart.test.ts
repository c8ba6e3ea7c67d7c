/*
 * A full restart of the Redis server in the middle of a run loses nothing:
 * our own redis-server (appendonly, fsync always) on a free port, two real
 * worker processes, jobs queued before and after the restart.
 */
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProducerConnection } from "../../src/queue/connection.js";
import { createBullDispatcher, type BullDispatcher } from "../../src/queue/dispatcher.js";
import { QueueUnavailableError } from "../../src/queue/errors.js";
import { startOwnRedis, type OwnRedis } from "../helpers/redis.js";
import { captureLog, pushJob } from "../queue/fixtures/jobs.js";
import { spawnWorker, stopWorker, waitFor, type WorkerProcess } from "../queue/fixtures/worker-processes.js";

const prefix = "slgt-restart";
let redis: OwnRedis;
let admin: Redis;
let dispatcher: BullDispatcher;
let scan: Queue;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  redis = await startOwnRedis();
  admin = new Redis(redis.url, { maxRetriesPerRequest: null });
  admin.on("error", () => undefined);
  dispatcher = createBullDispatcher({ connection: createProducerConnection(redis.url), prefix, log: captureLog().log, timeoutMs: 1_000 });
  scan = new Queue("scan", { connection: admin, prefix });
  scan.on("error", () => undefined);
}, 30_000);

afterAll(async () => {
  await Promise.all(workers.map(stopWorker));
  await dispatcher?.close();
  await scan?.close().catch(() => undefined);
  admin?.disconnect();
  await redis?.stop();
}, 30_000);

describe("a Redis server restart mid-run", () => {
  it("loses no job, and workers and producers carry on afterwards", { timeout: 120_000 }, async () => {
    for (let i = 0; i < 2; i++) {
      workers.push(await spawnWorker({ SLGT_REDIS_URL: redis.url, SLGT_PREFIX: prefix, SLGT_WORK_MS: "40", SLGT_CONCURRENCY: "2" }));
    }
    const before = Array.from({ length: 80 }, (_, i) => pushJob(1_000 + i));
    for (const job of before) await dispatcher.dispatch("scan-push", job);
    await waitFor(async () => (await admin.hlen(`${prefix}:test:done`)) >= 10, "some jobs to finish before the restart");

    await redis.restart(1_000);

    // Producers fail fast only while Redis is down; they reconnect on their own.
    const after = Array.from({ length: 40 }, (_, i) => pushJob(2_000 + i));
    for (const job of after) {
      await waitFor(
        () =>
          dispatcher.dispatch("scan-push", job).then(
            () => true,
            (error: unknown) => {
              if (error instanceof QueueUnavailableError) return false;
              throw error;
            },
          ),
        "the producer to reconnect",
        20_000,
      );
    }

    const all = [...before, ...after];
    await waitFor(async () => (await admin.hlen(`${prefix}:test:done`)) === all.length, "every job to finish", 90_000);
    const done = await admin.hgetall(`${prefix}:test:done`);
    for (const job of all) expect(Number(done[job.after])).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await scan.getJobCounts("completed")).completed === all.length, "BullMQ to mark all completed");
    const counts = await scan.getJobCounts("failed", "wait", "active", "delayed");
    expect(counts).toEqual({ failed: 0, wait: 0, active: 0, delayed: 0 });
    // Both workers did work after the restart.
    const by = await admin.hgetall(`${prefix}:test:by`);
    const afterWorkers = new Set(after.map((job) => by[job.after]));
    expect(afterWorkers.size).toBe(2);
    for (const worker of workers) {
      worker.child.kill("SIGTERM");
      expect(await worker.exited).toBe(0);
      expect(worker.output()).toContain("exiting 0");
    }
  });
});
