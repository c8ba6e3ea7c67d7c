/*
 * Job name -> processor: the single table both the in-process dispatcher and
 * the BullMQ workers run from.
 */
import { sendAlertJob } from "../alerts/send-job.js";
import { backfillInstallationProcessor } from "./backfill-installation.js";
import { backfillRepoProcessor } from "./backfill-repo.js";
import { publishReportJob } from "./report-publish.js";
import { rotateKeyJob } from "./rotate-key.js";
import { scanHistoryRepoProcessor } from "./scan-history-repo.js";
import { scanPullRequestProcessor } from "./scan-pull-request.js";
import { scanPushProcessor } from "./scan-push.js";
import { verifyKeyJob } from "./verify-key.js";
import type { JobName, Processor } from "./types.js";

/** A table to run jobs from; tests and single-queue workers may give a partial one. */
export type ProcessorTable = { [N in JobName]?: Processor<N> };

/** Complete by type: a new job name fails to compile until it has its processor here. */
export const processors: { [N in JobName]: Processor<N> } = {
  "scan-push": scanPushProcessor,
  "scan-pull-request": scanPullRequestProcessor,
  "verify-key": verifyKeyJob,
  "rotate-key": rotateKeyJob,
  "send-alert": sendAlertJob,
  "publish-report": publishReportJob,
  "backfill-installation": backfillInstallationProcessor,
  "backfill-repo": backfillRepoProcessor,
  "scan-history-repo": scanHistoryRepoProcessor,
};
