/*
 * A real worker process for the backfill kill test: the same
 * startWorkerProcess as `stripe-leak-guard worker`, serving only the
 * backfill queue with the real backfill-repo processor, talking to a fake
 * GitHub at SLGT_API. Prints "ready" when it takes jobs.
 */
import { ProbotOctokit } from "probot";
import { backfillRepoProcessor } from "../../src/jobs/backfill-repo.js";
import type { InstallationOctokit } from "../../src/jobs/types.js";
import { createLogger } from "../../src/log/index.js";
import { untilSignal } from "../../src/queue/shutdown.js";
import { startWorkerProcess } from "../../src/queue/worker-process.js";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const api = required("SLGT_API");
const log = createLogger({ level: "info", base: { name: "backfill-test-worker", pid: process.pid } });
const worker = await startWorkerProcess({
  redisUrl: required("SLGT_REDIS_URL"),
  prefix: required("SLGT_PREFIX"),
  processors: { "backfill-repo": backfillRepoProcessor },
  octokitFor: async () =>
    new ProbotOctokit({ auth: { token: "test-token" }, baseUrl: api, retry: { enabled: false }, throttle: { enabled: false } }) as InstallationOctokit,
  pepper: "backfill-kill-pepper-0123456789",
  log,
  concurrency: 1,
  queues: ["backfill"],
  workerOptions: { lockDuration: 1_000, stalledInterval: 500, maxStalledCount: 5 },
  backoff: { baseMs: 100, maxMs: 1_000 },
  watchdog: { intervalMs: 500, stuckAfterMs: 5_000 },
});
process.stdout.write("ready\n");
process.exitCode = await untilSignal(() => worker.close(), log);
