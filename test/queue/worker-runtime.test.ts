import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobName, PushJob } from "../../src/jobs/types.js";
import { createInProcessLock } from "../../src/lock/keyed-lock.js";
import { createProducerConnection } from "../../src/queue/connection.js";
import { createBullDispatcher, type BullDispatcher } from "../../src/queue/dispatcher.js";
import { RetryLaterError } from "../../src/queue/errors.js";
import { ownKey } from "../../src/queue/names.js";
import { startWorkerRuntime, type ProcessorTable, type WorkerRuntime } from "../../src/queue/worker-runtime.js";
import { fakeKey } from "../helpers/fake-keys.js";
import { connect, deleteWithPrefix, SHARED_REDIS_URL, uniquePrefix } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";
import { captureLog, fakeDeps, pushJob } from "./fixtures/jobs.js";

const prefix = uniquePrefix("runtime");
const captured = captureLog();
let admin: Redis;
let dispatcher: BullDispatcher;
let runtime: WorkerRuntime;
let scan: Queue;
const attempts = new Map<string, number>();
const done = new Set<string>();

function octokitError(status: number, message: string, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { name: "HttpError", status, response: { status, headers } });
}

/** Test processors: each push's `pusher` says how it should behave. */
const processors: ProcessorTable = {
  "scan-push": async (data: PushJob) => {
    const attempt = (attempts.get(data.after) ?? 0) + 1;
    attempts.set(data.after, attempt);
    switch (data.pusher) {
      case "flaky-502":
        if (attempt < 3) throw octokitError(502, "Bad Gateway");
        break;
      case "secondary-limit":
        if (attempt < 2) throw octokitError(403, "You have exceeded a secondary rate limit", { "retry-after": "1" });
        break;
      case "gone":
        throw octokitError(404, `Not Found while reading ${leakedKey}`);
      case "slow-budget":
        if (attempt < 2) throw new RetryLaterError("budget spent", 300);
        break;
    }
    done.add(data.after);
  },
};
const leakedKey = fakeKey("sk", "live");

beforeAll(async () => {
  admin = connect();
  dispatcher = createBullDispatcher({ connection: createProducerConnection(SHARED_REDIS_URL), prefix, log: captured.log });
  scan = new Queue("scan", { connection: admin, prefix });
  const lock = createInProcessLock();
  runtime = await startWorkerRuntime({
    redisUrl: SHARED_REDIS_URL,
    prefix,
    processors,
    makeDeps: async (_name: JobName, _data, log) => fakeDeps(log, lock),
    log: captured.log,
    concurrency: 4,
    backoff: { baseMs: 50, maxMs: 200 },
  });
});

afterAll(async () => {
  await runtime.close();
  await dispatcher.close();
  await scan.close();
  await deleteWithPrefix(admin, prefix);
  admin.disconnect();
});

describe("worker runtime", () => {
  it("runs queued jobs through the processor table", async () => {
    const jobs = [pushJob(100), pushJob(101), pushJob(102)];
    for (const job of jobs) await dispatcher.dispatch("scan-push", job);
    await waitFor(() => jobs.every((job) => done.has(job.after)), "three jobs");
  });

  it("retries GitHub 5xx with backoff until it succeeds", async () => {
    const job = pushJob(110, { pusher: "flaky-502" });
    await dispatcher.dispatch("scan-push", job);
    await waitFor(() => done.has(job.after), "the flaky job");
    expect(attempts.get(job.after)).toBe(3);
  });

  it("waits at least retry-after on a secondary rate limit", async () => {
    const job = pushJob(111, { pusher: "secondary-limit" });
    await dispatcher.dispatch("scan-push", job);
    await waitFor(() => done.has(job.after), "the rate-limited job");
    const [stored] = (await scan.getJobs(["completed"])).filter((item) => item.data.after === job.after);
    expect(stored?.attemptsMade).toBe(2);
    // Second attempt began no sooner than one second after the job was first taken.
    expect((stored?.processedOn ?? 0) - (stored?.timestamp ?? 0)).toBeGreaterThanOrEqual(1_000);
  });

  it("honours a RetryLaterError's wait", async () => {
    const job = pushJob(112, { pusher: "slow-budget" });
    await dispatcher.dispatch("scan-push", job);
    await waitFor(() => done.has(job.after), "the paced job");
    expect(attempts.get(job.after)).toBe(2);
  });

  it("fails a gone repository at once, logs the delivery id, stores no key, and lets a redelivery run again", async () => {
    const job = pushJob(120, { pusher: "gone" });
    await dispatcher.dispatch("scan-push", job);
    await waitFor(async () => (await scan.getJobs(["failed"])).some((item) => item.data.after === job.after), "the failed job");
    const [failed] = (await scan.getJobs(["failed"])).filter((item) => item.data.after === job.after);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/^not found/);
    expect(failed?.failedReason).not.toContain(leakedKey);
    expect(JSON.stringify(failed?.stacktrace)).not.toContain(leakedKey);
    const line = captured.lines().find((entry) => entry.msg === "job failed permanently; not retrying" && entry.deliveryId === job.deliveryId);
    expect(line).toMatchObject({ status: 404 });
    expect(captured.text()).not.toContain(leakedKey);

    // The dedupe records are gone, so GitHub's "Redeliver" runs the job again.
    await waitFor(async () => (await admin.exists(ownKey(prefix, "delivery", "scan-push", job.deliveryId))) === 0, "dedupe cleanup");
    await dispatcher.dispatch("scan-push", job);
    await waitFor(() => attempts.get(job.after) === 2, "the redelivered job");
  });
});

describe("worker watchdog", () => {
  it("replaces a worker that stops taking jobs while Redis answers", { timeout: 30_000 }, async () => {
    const watchPrefix = uniquePrefix("watchdog");
    const ran: string[] = [];
    let deafened: Promise<void> | undefined;
    const watched = await startWorkerRuntime({
      redisUrl: SHARED_REDIS_URL,
      prefix: watchPrefix,
      processors: { "scan-push": async (data: PushJob) => void ran.push(data.after) },
      makeDeps: async (_name, _data, log) => fakeDeps(log, createInProcessLock()),
      log: captured.log,
      queues: ["scan"],
      watchdog: { intervalMs: 100, stuckAfterMs: 500 },
      // The first worker goes deaf, as after bullmq #2466: it never takes another job.
      onWorker: (worker) => {
        deafened ??= worker.waitUntilReady().then(() => worker.pause(true));
      },
    });
    const producer = createBullDispatcher({ connection: createProducerConnection(SHARED_REDIS_URL), prefix: watchPrefix, log: captured.log });
    try {
      await waitFor(() => deafened !== undefined, "the first worker");
      await deafened;
      // A fetch already under way when the worker paused can still take one job (seen under load): send another then.
      for (let n = 0; n < 2 && watched.restarts === 0; n++) {
        const job = pushJob(200 + n);
        await producer.dispatch("scan-push", job);
        await waitFor(() => ran.includes(job.after), "a worker to run the job");
      }
      expect(watched.restarts).toBeGreaterThanOrEqual(1);
    } finally {
      await watched.close();
      await producer.close();
      await deleteWithPrefix(admin, watchPrefix);
    }
  });
});
