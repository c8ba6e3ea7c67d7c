import type { Logger } from "pino";
import type { RepoBackfillResult } from "../backfill/run-repo.js";
import type { BackfillRepoJob } from "./types.js";

/** One line per repository, with the installation's progress, so `done/total` can be followed in the logs. */
export function logBackfillResult(job: BackfillRepoJob, log: Logger, result: RepoBackfillResult): void {
  const { done, total } = result.progress;
  const fields = {
    installation: job.installationId,
    repo: `${job.owner}/${job.repo}`,
    status: result.status,
    progress: `${done}/${total}`,
    files: result.filesScanned,
    bytes: result.bytesScanned,
    binarySkipped: result.binarySkipped,
    findings: result.findings,
    incidents: result.incidents.map((outcome) => `${outcome.action}#${outcome.issueNumber ?? "-"}`),
  };
  if (result.status === "already-done") log.info(fields, "backfill: repository already done; not fetched again");
  else log.info(fields, `backfill: ${done}/${total} repositories done`);
  if (result.status !== "already-done" && total > 0 && done >= total) log.info({ installation: job.installationId, total }, "backfill of the installation finished");
}
