import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Metrics } from "../metrics/index.js";
import { redisDeliveryLedger } from "./delivery-ledger.js";
import { sweepFailedDeliveries } from "./sweeper.js";
import type { AppOctokit, SweepResult } from "./sweeper.js";

/*
 * The sweep runs as a BullMQ Job Scheduler on its own "maintenance" queue:
 * every worker upserts the same scheduler id, BullMQ keeps exactly one
 * upcoming run, and whichever worker is free picks it up. The job data is
 * empty; the App's credentials come from the worker's environment.
 */

export const MAINTENANCE_QUEUE = "maintenance";
export const SWEEPER_SCHEDULER_ID = "webhook-delivery-sweeper";
export const SWEEP_JOB_NAME = "sweep-webhook-deliveries";
export const DEFAULT_SWEEP_EVERY_MS = 5 * 60 * 1000;

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
  const ledger = redisDeliveryLedger(connection, options.prefix);
  const log = options.log.child({ job: SWEEP_JOB_NAME });
  const worker = new Worker<Record<string, never>, SweepResult>(
    queueName,
    async (job) =>
      sweepFailedDeliveries({
        octokit: await options.appOctokit(),
        ledger,
        log: log.child({ jobId: job.id }),
        metrics: options.metrics,
        ...(options.pauseMs !== undefined ? { pauseMs: options.pauseMs } : {}),
      }),
    { connection, prefix: options.prefix, concurrency: 1 },
  );
  worker.on("failed", (job, error) => log.warn({ jobId: job?.id, err: error }, "webhook delivery sweep failed"));
  return {
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

/** Removes the schedule (SWEEP_EVERY_MINUTES=0): no more sweeps until a worker upserts it again. */
export async function stopSweeperSchedule(connection: Redis, prefix: string, queueName = MAINTENANCE_QUEUE): Promise<void> {
  const queue = new Queue(queueName, { connection, prefix });
  try {
    await queue.removeJobScheduler(SWEEPER_SCHEDULER_ID);
  } finally {
    await queue.close();
  }
}
