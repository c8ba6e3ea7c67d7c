import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Metrics } from "../metrics/index.js";
import type { InstallationOctokit } from "../jobs/types.js";
import { redisDeliveryLedger } from "./delivery-ledger.js";
import { countOpenIncidents, storeOpenIncidents } from "./incident-census.js";
import type { CensusResult } from "./incident-census.js";
import { sweepFailedDeliveries } from "./sweeper.js";
import type { AppOctokit, SweepResult } from "./sweeper.js";

/*
 * The sweep runs as a BullMQ Job Scheduler on its own "maintenance" queue:
 * every worker upserts the same scheduler id, BullMQ keeps exactly one
 * upcoming run, and whichever worker is free picks it up. The job data is
 * empty; the App's credentials come from the worker's environment. The same
 * queue runs the open-incident census when installation auth is given.
 */

export const MAINTENANCE_QUEUE = "maintenance";
export const SWEEPER_SCHEDULER_ID = "webhook-delivery-sweeper";
export const SWEEP_JOB_NAME = "sweep-webhook-deliveries";
export const DEFAULT_SWEEP_EVERY_MS = 5 * 60 * 1000;
export const CENSUS_SCHEDULER_ID = "open-incident-census";
export const CENSUS_JOB_NAME = "count-open-incidents";
export const DEFAULT_CENSUS_EVERY_MS = 10 * 60 * 1000;

export interface SweeperOptions {
  /** A worker connection (maxRetriesPerRequest: null); also used for the ledger. */
  connection: Redis;
  prefix: string;
  /** Builds an App-authenticated (JWT) Octokit for each run. */
  appOctokit: () => Promise<AppOctokit>;
  log: Logger;
  metrics?: Metrics | undefined;
  everyMs?: number;
  queueName?: string;
  /** Passed on to each sweep; tests shorten the pause between redeliveries. */
  pauseMs?: number;
  /** Installation auth for the open-incident census; without it there is no census. */
  installationOctokit?: (installationId: number) => Promise<InstallationOctokit>;
  censusEveryMs?: number;
}

export interface Sweeper {
  queue: Queue;
  worker: Worker;
  close(): Promise<void>;
}

export async function startSweeper(options: SweeperOptions): Promise<Sweeper> {
  const queueName = options.queueName ?? MAINTENANCE_QUEUE;
  const connection = options.connection;
  const queue = new Queue(queueName, { connection, prefix: options.prefix });
  await queue.upsertJobScheduler(
    SWEEPER_SCHEDULER_ID,
    { every: options.everyMs ?? DEFAULT_SWEEP_EVERY_MS },
    { name: SWEEP_JOB_NAME, data: {}, opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 } },
  );
  const censusEveryMs = options.censusEveryMs ?? DEFAULT_CENSUS_EVERY_MS;
  if (options.installationOctokit) {
    await queue.upsertJobScheduler(
      CENSUS_SCHEDULER_ID,
      { every: censusEveryMs },
      { name: CENSUS_JOB_NAME, data: {}, opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 } },
    );
  } else {
    await queue.removeJobScheduler(CENSUS_SCHEDULER_ID);
  }
  const ledger = redisDeliveryLedger(connection, options.prefix);
  const log = options.log.child({ queue: queueName });
  const worker = new Worker<Record<string, never>, SweepResult | CensusResult>(
    queueName,
    async (job) => {
      const jobLog = log.child({ job: job.name, jobId: job.id });
      if (job.name === CENSUS_JOB_NAME) {
        if (!options.installationOctokit) return { open: 0, installations: 0, complete: false };
        const census = await countOpenIncidents({ appOctokit: await options.appOctokit(), installationOctokit: options.installationOctokit, log: jobLog });
        await storeOpenIncidents(connection, options.prefix, census.open, (3 * censusEveryMs) / 1000);
        jobLog.info(census, "open incidents counted");
        return census;
      }
      return sweepFailedDeliveries({
        octokit: await options.appOctokit(),
        ledger,
        log: jobLog,
        metrics: options.metrics,
        ...(options.pauseMs !== undefined ? { pauseMs: options.pauseMs } : {}),
      });
    },
    { connection, prefix: options.prefix, concurrency: 1 },
  );
  worker.on("failed", (job, error) => log.warn({ job: job?.name, jobId: job?.id, err: error }, "maintenance job failed"));
  return {
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

/** Removes the schedules (SWEEP_EVERY_MINUTES=0): no more sweeps or census until a worker upserts them again. */
export async function stopSweeperSchedule(connection: Redis, prefix: string, queueName = MAINTENANCE_QUEUE): Promise<void> {
  const queue = new Queue(queueName, { connection, prefix });
  try {
    await queue.removeJobScheduler(SWEEPER_SCHEDULER_ID);
    await queue.removeJobScheduler(CENSUS_SCHEDULER_ID);
  } finally {
    await queue.close();
  }
}
