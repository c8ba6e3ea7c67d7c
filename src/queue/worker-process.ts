import type { Logger } from "pino";
import type { InstallationOctokit } from "../jobs/types.js";
import { createRedisLock } from "../lock/redis-lock.js";
import type { BackoffPolicy } from "./backoff.js";
import { closeQuietly, createProducerConnection, createWorkerConnection } from "./connection.js";
import { createBullDispatcher } from "./dispatcher.js";
import { ownKey, type QueueName } from "./names.js";
import { createRedisPacer, GITHUB_WRITE_LIMITS, paceWrites, type PaceLimits } from "./pacing.js";
import { startWorkerRuntime, type ProcessorTable, type WatchdogOptions, type WorkerRuntime, type WorkerRuntimeOptions } from "./worker-runtime.js";

export interface WorkerProcessOptions {
  redisUrl: string;
  prefix: string;
  processors: ProcessorTable;
  /** An Octokit authenticated as the installation (Probot's `auth(installationId)` in production). */
  octokitFor: (installationId: number) => Promise<InstallationOctokit>;
  pepper: string;
  log: Logger;
  concurrency?: number;
  queues?: readonly QueueName[];
  paceLimits?: PaceLimits;
  workerOptions?: WorkerRuntimeOptions["workerOptions"];
  backoff?: BackoffPolicy;
  watchdog?: WatchdogOptions;
}

/**
 * Everything one `stripe-leak-guard worker` process runs: the supervised
 * BullMQ workers, plus the Redis lock and write pacer every job shares with
 * the other workers. Jobs hold an installation id, never a token: each job
 * gets a fresh installation Octokit (Probot caches the token), so a job
 * retried hours later still authenticates.
 */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerRuntime> {
  const shared = createWorkerConnection(options.redisUrl, options.log);
  const lock = createRedisLock({ client: shared, keyPrefix: ownKey(options.prefix, "lock"), log: options.log });
  const pacer = createRedisPacer({ client: shared, keyPrefix: ownKey(options.prefix, "pace"), limits: options.paceLimits ?? GITHUB_WRITE_LIMITS });
  // Follow-up jobs (a verification retry, an automatic rotation) get the same dedupe as webhooks, on a fail-fast connection.
  const followUps = createBullDispatcher({ connection: createProducerConnection(options.redisUrl, options.log), prefix: options.prefix, log: options.log });
  const runtime = await startWorkerRuntime({
    ...options,
    makeDeps: async (_name, data, log) => {
      const octokit = paceWrites(await options.octokitFor(data.installationId), data.installationId, pacer);
      return {
        octokit,
        log,
        pepper: options.pepper,
        lock,
        dispatcher: followUps,
        redis: { client: shared, prefix: options.prefix },
        installationId: data.installationId,
      };
    },
  });
  return {
    get restarts() {
      return runtime.restarts;
    },
    async close() {
      await runtime.close();
      await followUps.close();
      await closeQuietly(shared);
    },
  };
}
