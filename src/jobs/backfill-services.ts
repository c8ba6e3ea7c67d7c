/*
 * The backfill's shared services, resolved per job: Redis-backed in workers,
 * in memory (with a background runner) in single-process mode. One resolver
 * for the process, so every backfill job of a worker shares one done-set
 * client and one queue handle.
 */
import { backfillRepository } from "../backfill/run-repo.js";
import { createServicesResolver, DEFAULT_BACKFILL_LIMITS, type BackfillLimits } from "../backfill/services.js";
import { readEnv } from "../config/env.js";
import { processMetrics } from "../metrics/index.js";
import { logBackfillResult } from "./backfill-log.js";

function limitsFromEnv(): BackfillLimits {
  const env = readEnv(process.env);
  const perMinute = env.BACKFILL_REPOS_PER_MINUTE ?? DEFAULT_BACKFILL_LIMITS.perMinute;
  return {
    perMinute,
    perHour: Math.min(perMinute * 60, env.BACKFILL_REPOS_PER_HOUR ?? DEFAULT_BACKFILL_LIMITS.perHour),
    reserveFraction: (env.BACKFILL_RATE_LIMIT_RESERVE_PERCENT ?? DEFAULT_BACKFILL_LIMITS.reserveFraction * 100) / 100,
  };
}

export const backfillServices = createServicesResolver(async (job, deps) => {
  const metrics = processMetrics();
  logBackfillResult(job, deps.log, await backfillRepository(job, deps, backfillServices(deps), metrics));
}, limitsFromEnv);
