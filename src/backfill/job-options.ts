import type { JobsOptions } from "bullmq";
import { DEFAULT_JOB_OPTIONS } from "../queue/job-options.js";

/*
 * A backfill job may wait its turn many times (the per-installation pace, a
 * paused budget) before it runs: each wait is an attempt, so it gets more of
 * them than a live scan. Completed jobs are kept a week, for the dashboard;
 * the done-set, not the job, is what stops a repository being fetched twice.
 */
export const BACKFILL_TYPE_OPTIONS: JobsOptions = {
  ...DEFAULT_JOB_OPTIONS,
  attempts: 50,
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
};
