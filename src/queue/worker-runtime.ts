import { Queue, UnrecoverableError, Worker, type Job, type WorkerOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { ProcessorTable } from "../jobs/processors.js";
import type { JobDataByName, JobDeps, JobName, Processor } from "../jobs/types.js";
import { retryDelayMs, type BackoffPolicy } from "./backoff.js";
import { classifyError } from "./classify-error.js";
import { closeQuietly, createProducerConnection, createWorkerConnection } from "./connection.js";
import { deliveryIdOf, safeIdPart } from "./job-identity.js";
import { toJobError } from "./job-errors.js";
import { ownKey, QUEUE_NAMES, type QueueName } from "./names.js";

export type { ProcessorTable };

/** Builds what a processor needs for one job (an Octokit for the job's installation, a logger, the lock). */
export type DepsFactory = (name: JobName, data: JobDataByName[JobName], log: Logger) => Promise<JobDeps>;

export interface WatchdogOptions {
  /** How often to check. */
  intervalMs: number;
  /** Recreate the worker when it has been disconnected, or has left waiting jobs untouched, for this long. */
  stuckAfterMs: number;
}

export interface WorkerRuntimeOptions {
  redisUrl: string;
  prefix: string;
  processors: ProcessorTable;
  makeDeps: DepsFactory;
  log: Logger;
  concurrency?: number;
  queues?: readonly QueueName[];
  /** lockDuration, stalledInterval, maxStalledCount, drainDelay... (tests shorten them). */
  workerOptions?: Partial<Pick<WorkerOptions, "lockDuration" | "stalledInterval" | "maxStalledCount" | "drainDelay">>;
  backoff?: BackoffPolicy;
  watchdog?: WatchdogOptions;
  /** Called with each BullMQ worker created (the first, and each watchdog replacement), e.g. to attach metrics. */
  onWorker?: (worker: Worker, queue: QueueName) => void;
}

export interface WorkerRuntime {
  /** Stop taking jobs, let active ones finish, close every connection. */
  close(): Promise<void>;
  /** How many times the watchdog replaced a worker (for logs and tests). */
  readonly restarts: number;
}

const DEFAULT_WATCHDOG: WatchdogOptions = { intervalMs: 5_000, stuckAfterMs: 30_000 };
const CLOSE_STUCK_WORKER_MS = 5_000;

export async function startWorkerRuntime(options: WorkerRuntimeOptions): Promise<WorkerRuntime> {
  const { log, prefix } = options;
  // Non-blocking helper connection: dedupe cleanup after a final failure.
  const helper = createWorkerConnection(options.redisUrl, log);
  const supervisors = (options.queues ?? QUEUE_NAMES).map((queueName) => superviseWorker(queueName, options, helper));
  await Promise.all(supervisors.map((supervisor) => supervisor.started));
  log.info({ queues: options.queues ?? QUEUE_NAMES, prefix, concurrency: options.concurrency ?? 4 }, "worker ready");
  return {
    async close() {
      await Promise.all(supervisors.map((supervisor) => supervisor.close()));
      await closeQuietly(helper);
      log.info("worker stopped");
    },
    get restarts() {
      return supervisors.reduce((sum, supervisor) => sum + supervisor.restarts, 0);
    },
  };
}

interface Supervisor {
  started: Promise<void>;
  close(): Promise<void>;
  readonly restarts: number;
}

/*
 * BullMQ workers have been seen to stop taking jobs after a full Redis
 * restart (bullmq #2466, #2964, #3185). The maintainers' advice is a watchdog
 * that recreates the worker. Ours looks at effects, not at events: it
 * recreates the worker when its connection has not come back while Redis
 * answers a separate probe, or when jobs wait while the worker has free slots
 * and has started nothing for stuckAfterMs.
 */
function superviseWorker(queueName: QueueName, options: WorkerRuntimeOptions, helper: Redis): Supervisor {
  const log = options.log.child({ queue: queueName });
  const concurrency = options.concurrency ?? 4;
  const watchdog = options.watchdog ?? DEFAULT_WATCHDOG;
  const probeConnection = createProducerConnection(options.redisUrl);
  probeConnection.on("error", () => undefined);
  const probe = new Queue(queueName, { connection: probeConnection, prefix: options.prefix });
  probe.on("error", () => undefined);

  let inflight = 0;
  let lastStart = Date.now();
  let restarts = 0;
  let closing = false;
  let current = createWorker();
  let replacing: Promise<void> | undefined;

  function createWorker(): { worker: Worker; connection: Redis; disconnectedSince?: number } {
    const connection = createWorkerConnection(options.redisUrl, log);
    const worker = new Worker(queueName, (job: Job) => runJob(job), {
      connection,
      prefix: options.prefix,
      concurrency,
      autorun: true,
      ...options.workerOptions,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
          retryDelayMs(attemptsMade, classifyError(err), options.backoff),
      },
    });
    options.onWorker?.(worker, queueName);
    const entry: { worker: Worker; connection: Redis; disconnectedSince?: number } = { worker, connection };
    connection.on("close", () => {
      entry.disconnectedSince ??= Date.now();
    });
    connection.on("ready", () => {
      delete entry.disconnectedSince;
    });
    worker.on("error", (error) => log.debug({ reason: error.message }, "worker connection error"));
    worker.on("failed", (job, error) => {
      if (job) void onFailed(job, error);
    });
    return entry;
  }

  async function runJob(job: Job): Promise<void> {
    const name = job.name as JobName;
    const data = job.data as JobDataByName[JobName];
    const deliveryId = deliveryIdOf(data);
    const jobLog = log.child({ job: name, jobId: job.id, deliveryId, attempt: job.attemptsMade + 1 });
    const processor = options.processors[name] as Processor<JobName> | undefined;
    if (!processor) {
      jobLog.error("no processor for this job name; failing it");
      throw new UnrecoverableError(`no processor for job ${name}`);
    }
    inflight++;
    lastStart = Date.now();
    try {
      const deps = await options.makeDeps(name, data, jobLog);
      await processor(data, deps);
      jobLog.debug("job done");
    } catch (error) {
      throw toJobError(error, jobLog);
    } finally {
      inflight--;
    }
  }

  /** After the last attempt, forget the dedupe records so that a manual redelivery from GitHub runs the job again. */
  async function onFailed(job: Job, error: Error): Promise<void> {
    const final = error.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final) return;
    const deliveryId = deliveryIdOf(job.data as object);
    log.error({ job: job.name, jobId: job.id, deliveryId, attempts: job.attemptsMade }, "job gave up; redeliver the webhook to run it again");
    try {
      await job.removeDeduplicationKey();
      if (deliveryId) await helper.del(ownKey(options.prefix, "delivery", job.name, safeIdPart(deliveryId)));
    } catch {
      // Redis is down: the records expire on their own.
    }
  }

  /** Since when Redis has answered the probe; undefined while it does not. Stuck time only counts from here. */
  let redisUpSince: number | undefined = Date.now();

  async function check(): Promise<void> {
    if (closing || replacing) return;
    const now = Date.now();
    let waiting: number;
    try {
      await probeConnection.ping();
      const counts = await probe.getJobCounts("wait", "prioritized");
      waiting = (counts.wait ?? 0) + (counts.prioritized ?? 0);
    } catch {
      redisUpSince = undefined;
      return; // Redis itself is down; nothing a new worker could do better.
    }
    redisUpSince ??= now;
    if (waiting === 0 || inflight >= concurrency) lastStart = now;
    const idleFor = now - Math.max(lastStart, redisUpSince);
    const disconnectedFor = current.disconnectedSince === undefined ? 0 : now - Math.max(current.disconnectedSince, redisUpSince);
    if (disconnectedFor > watchdog.stuckAfterMs || (waiting > 0 && idleFor > watchdog.stuckAfterMs)) {
      log.warn({ waiting, inflight, idleFor, disconnectedFor }, "worker stopped taking jobs although Redis answers; recreating it");
      replacing = replace().finally(() => {
        replacing = undefined;
      });
    }
  }

  async function replace(): Promise<void> {
    const old = current;
    restarts++;
    lastStart = Date.now();
    current = createWorker();
    const closed = old.worker.close().then(() => true);
    const gaveUp = new Promise<false>((resolve) => setTimeout(() => resolve(false), CLOSE_STUCK_WORKER_MS).unref());
    // Active jobs on a worker that cannot reach Redis will stall and run again elsewhere (at-least-once).
    if (!(await Promise.race([closed, gaveUp]))) await old.worker.close(true).catch(() => undefined);
    await closeQuietly(old.connection);
  }

  const timer = setInterval(() => void check(), watchdog.intervalMs);
  timer.unref();

  return {
    started: current.worker.waitUntilReady().then(() => undefined),
    get restarts() {
      return restarts;
    },
    async close() {
      closing = true;
      clearInterval(timer);
      await replacing;
      await current.worker.close();
      await closeQuietly(current.connection);
      await probe.close().catch(() => undefined);
      await closeQuietly(probeConnection);
    },
  };
}
