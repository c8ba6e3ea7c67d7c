/*
 * "backfill-repo": one repository's default branch, from one tarball.
 */
import { backfillRepository } from "../backfill/run-repo.js";
import { processMetrics } from "../metrics/index.js";
import { logBackfillResult } from "./backfill-log.js";
import { backfillServices } from "./backfill-services.js";
import type { Processor } from "./types.js";

export const backfillRepoProcessor: Processor<"backfill-repo"> = async (data, deps) => {
  const result = await backfillRepository(data, deps, backfillServices(deps), processMetrics());
  logBackfillResult(data, deps.log, result);
};
