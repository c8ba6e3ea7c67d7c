import type { JobsOptions } from "bullmq";

/** The custom backoff type; the worker's backoffStrategy reads the error to pick the wait. */
export const BACKOFF_TYPE = "slg";

/*
 * Enough attempts to ride out a GitHub incident of about an hour with the
 * default backoff (2 s doubling, capped at 10 min). Finished jobs are kept a
 * while for inspection; dedupe does not depend on them (see job-identity.ts).
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: BACKOFF_TYPE },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
};
