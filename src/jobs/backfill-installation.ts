/*
 * "backfill-installation": the App was installed, or repositories were added
 * to it. Lists them and queues one "backfill-repo" job each (those already
 * done are left out), on the backfill queue, behind nothing live.
 */
import { planBackfill } from "../backfill/plan.js";
import { processMetrics } from "../metrics/index.js";
import { backfillServices } from "./backfill-services.js";
import type { Processor } from "./types.js";

export const backfillInstallationProcessor: Processor<"backfill-installation"> = async (data, deps) => {
  const plan = await planBackfill(data, deps, backfillServices(deps), processMetrics());
  deps.log.info(
    { installation: data.installationId, account: data.owner, queued: plan.queued, alreadyDone: plan.alreadyDone, empty: plan.empty, progress: `${plan.progress.done}/${plan.progress.total}` },
    `backfill planned: ${plan.queued} repositories queued`,
  );
};
