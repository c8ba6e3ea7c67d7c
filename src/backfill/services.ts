/*
 * What the backfill jobs share beyond a job's deps: the done-set, the pacer
 * for tarball requests, and the way per-repository jobs are queued.
 *
 * - With workers (deps.redis set): state in Redis, one BullMQ job per
 *   repository on the "backfill" queue with a deterministic id, paced per
 *   installation across every worker.
 * - Single process (no Redis): state in memory, and the repositories are
 *   scanned one after another in the background, so the webhook that started
 *   the backfill is answered at once.
 */
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { assertIdsOnly, safeIdPart } from "../queue/job-identity.js";
import { BACKFILL_TYPE_OPTIONS } from "./job-options.js";
import { ownKey } from "../queue/names.js";
import { createMemoryPacer, createRedisPacer, type PaceLimits, type WritePacer } from "../queue/pacing.js";
import type { BackfillRepoJob, JobDeps } from "../jobs/types.js";
import { createMemoryBackfillStore, createRedisBackfillStore, type BackfillStore } from "./progress.js";

export interface BackfillLimits {
  /** Tarball requests per installation per minute, across all workers. */
  perMinute: number;
  /** And per hour. */
  perHour: number;
  /** Fraction of the installation's rate limit kept for live events: below it, the backfill pauses until the reset. */
  reserveFraction: number;
}

export const DEFAULT_BACKFILL_LIMITS: BackfillLimits = { perMinute: 20, perHour: 1000, reserveFraction: 0.2 };

export interface BackfillServices {
  store: BackfillStore;
  /** Waits for the installation's turn to download a tarball. */
  pacer: WritePacer;
  limits: BackfillLimits;
  /** Queues the per-repository jobs; `deps` are the planning job's (single-process mode runs them with these). */
  enqueue(jobs: readonly BackfillRepoJob[], deps: JobDeps): Promise<void>;
}

/** Resolves the services for a job: one set per Redis connection, or the process's in-memory set. */
export type ServicesFor = (deps: JobDeps) => BackfillServices;

export function paceLimits(limits: BackfillLimits): PaceLimits {
  return { perMinute: limits.perMinute, perHour: limits.perHour, spacingMs: Math.floor(60_000 / Math.max(1, limits.perMinute) / 2) };
}

export function backfillJobId(job: Pick<BackfillRepoJob, "installationId" | "repoId" | "backfillId">): string {
  return `backfill-repo-${job.installationId}-${job.repoId}-${safeIdPart(job.backfillId)}`;
}

export function createRedisBackfillServices(client: Redis, prefix: string, limits: BackfillLimits = DEFAULT_BACKFILL_LIMITS): BackfillServices & { close(): Promise<void> } {
  const queue = new Queue("backfill", { connection: client, prefix });
  queue.on("error", () => undefined);
  return {
    store: createRedisBackfillStore(client, ownKey(prefix, "backfill")),
    pacer: createRedisPacer({ client, keyPrefix: ownKey(prefix, "backfill-pace"), limits: paceLimits(limits) }),
    limits,
    async enqueue(jobs) {
      for (let at = 0; at < jobs.length; at += 500) {
        const slice = jobs.slice(at, at + 500);
        await queue.addBulk(
          slice.map((data) => {
            assertIdsOnly("backfill-repo", data);
            // Same id for the same (installation, repository, event): a redelivered event or a re-run plan adds nothing.
            return { name: "backfill-repo", data, opts: { ...BACKFILL_TYPE_OPTIONS, jobId: backfillJobId(data) } };
          }),
        );
      }
    },
    close: () => queue.close(),
  };
}

export interface InProcessBackfill extends BackfillServices {
  /** Resolves when the background runner has nothing left (tests, shutdown). */
  idle(): Promise<void>;
}

/** Single-process mode: runs each queued repository with `run`, one at a time, in the background. */
export function createInProcessBackfillServices(
  run: (job: BackfillRepoJob, deps: JobDeps) => Promise<void>,
  limits: BackfillLimits = DEFAULT_BACKFILL_LIMITS,
): InProcessBackfill {
  let tail: Promise<void> = Promise.resolve();
  return {
    store: createMemoryBackfillStore(),
    pacer: createMemoryPacer(paceLimits(limits)),
    limits,
    async enqueue(jobs, deps) {
      for (const job of jobs) {
        tail = tail.then(() => runLogged(run, job, deps, deps.log));
      }
    },
    idle: () => tail,
  };
}

async function runLogged(run: (job: BackfillRepoJob, deps: JobDeps) => Promise<void>, job: BackfillRepoJob, deps: JobDeps, log: Logger): Promise<void> {
  // A wait the pacer or GitHub asks for is honoured here, then the repository is tried again, a few times.
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      await run(job, { ...deps, log: log.child({ job: "backfill-repo", repo: `${job.owner}/${job.repo}` }) });
      return;
    } catch (error) {
      const wait = (error as { retryAfterMs?: unknown }).retryAfterMs;
      if (typeof wait === "number" && attempt < 5) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 3_600_000)));
        continue;
      }
      log.error({ err: error, repo: `${job.owner}/${job.repo}`, attempt }, "backfill of a repository failed; it will be tried again by the next backfill");
      return;
    }
  }
}

/** The default resolution: Redis-backed when the job has the worker's Redis, else this process's in-memory runner. */
export function createServicesResolver(run: (job: BackfillRepoJob, deps: JobDeps) => Promise<void>, limits?: () => BackfillLimits): ServicesFor & { inProcess(): InProcessBackfill } {
  const byClient = new WeakMap<Redis, BackfillServices>();
  let memory: InProcessBackfill | undefined;
  const inProcess = () => (memory ??= createInProcessBackfillServices(run, limits?.()));
  const resolve = (deps: JobDeps): BackfillServices => {
    if (!deps.redis) return inProcess();
    let services = byClient.get(deps.redis.client);
    if (!services) {
      services = createRedisBackfillServices(deps.redis.client, deps.redis.prefix, limits?.());
      byClient.set(deps.redis.client, services);
    }
    return services;
  };
  return Object.assign(resolve, { inProcess });
}
