/*
 * Real worker processes against real Redis: a SIGKILL mid-job loses nothing
 * (the stalled job runs again on the other worker), and SIGTERM lets the
 * active jobs finish before the process exits 0.
 */
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProducerConnection } from "../../src/queue/connection.js";
import { createBullDispatcher, type BullDispatcher } from "../../src/queue/dispatcher.js";
import { connect, deleteWithPrefix, SHARED_REDIS_URL, uniquePrefix } from "../helpers/redis.js";
import { captureLog, pushJob } from "../queue/fixtures/jobs.js";
import { spawnWorker, stopWorker, waitFor, type WorkerProcess } from "../queue/fixtures/worker-processes.js";

let admin: Redis;
const started: WorkerProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(() => {
  admin = connect();
});

afterAll(async () => {
  await Promise.all(started.map(stopWorker));
  for (const cleanup of cleanups) await cleanup();
  admin.disconnect();
});

async function setup(label: string): Promise<{ prefix: string; dispatcher: BullDispatcher; scan: Queue }> {
  const prefix = uniquePrefix(label);
  const dispatcher = createBullDispatcher({ connection: createProducerConnection(SHARED_REDIS_URL), prefix, log: captureLog().log });
  const scan = new Queue("scan", { connection: admin, prefix });
  cleanups.push(async () => {
    await dispatcher.close();
    await scan.close();
    await deleteWithPrefix(admin, prefix);
  });
  return { prefix, dispatcher, scan };
}

async function worker(prefix: string, extra: Record<string, string> = {}): Promise<WorkerProcess> {
  const process = await spawnWorker({ SLGT_REDIS_URL: SHARED_REDIS_URL, SLGT_PREFIX: prefix, ...extra });
  started.push(process);
  return process;
}

describe("worker processes", () => {
  it("re-runs on the other worker the jobs of a worker killed with SIGKILL mid-job", { timeout: 90_000 }, async () => {
    const { prefix, dispatcher, scan } = await setup("sigkill");
    const victim = await worker(prefix, { SLGT_CONCURRENCY: "2", SLGT_SLOW_MS: "60000" });
    const jobs = [pushJob(1, { pusher: "slow" }), pushJob(2, { pusher: "slow" })];
    for (const job of jobs) await dispatcher.dispatch("scan-push", job);
    await waitFor(async () => (await admin.scard(`${prefix}:test:started:${victim.pid}`)) === 2, "the first worker to take both jobs");

    const survivor = await worker(prefix, { SLGT_CONCURRENCY: "2", SLGT_SLOW_MS: "200" });
    victim.child.kill("SIGKILL");
    expect(await victim.exited).toBeNull();

    await waitFor(async () => (await scan.getJobCounts("completed")).completed === 2, "both jobs to complete");
    const done = await admin.hgetall(`${prefix}:test:done`);
    const by = await admin.hgetall(`${prefix}:test:by`);
    for (const job of jobs) {
      expect(Number(done[job.after])).toBeGreaterThanOrEqual(1);
      expect(by[job.after]).toBe(String(survivor.pid));
    }
    const completed = await scan.getJobs(["completed"]);
    // Each was found stalled (its worker died holding it) and run again.
    for (const job of completed) expect(job.stalledCounter).toBeGreaterThanOrEqual(1);
  });

  it("finishes active jobs on SIGTERM and exits 0", { timeout: 60_000 }, async () => {
    const { prefix, dispatcher, scan } = await setup("sigterm");
    const draining = await worker(prefix, { SLGT_CONCURRENCY: "2", SLGT_SLOW_MS: "1500" });
    const jobs = [pushJob(3, { pusher: "slow" }), pushJob(4, { pusher: "slow" })];
    for (const job of jobs) await dispatcher.dispatch("scan-push", job);
    await waitFor(async () => (await admin.scard(`${prefix}:test:started:${draining.pid}`)) === 2, "both jobs to start");

    draining.child.kill("SIGTERM");
    expect(await draining.exited).toBe(0);
    expect(draining.output()).toContain("exiting 0");

    const done = await admin.hgetall(`${prefix}:test:done`);
    for (const job of jobs) expect(done[job.after]).toBe("1");
    expect((await scan.getJobCounts("completed", "active", "wait")).completed).toBe(2);
    expect((await scan.getJobs(["completed"])).map((job) => job.stalledCounter)).toEqual([0, 0]);
  });
});
