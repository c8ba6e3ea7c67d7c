/*
 * "scan-history-repo": a full-history scan asked for by a person (a command
 * on an issue) or the operator (the CLI). The result, or the reason it
 * failed, is commented on the issue that asked. A failure is not retried by
 * the queue (each try would clone again and comment again): the person runs
 * the command again.
 */
import { UnrecoverableError } from "bullmq";
import { commentOnIncident } from "../github/incident-comments.js";
import { runHistoryScan, type HistoryScanOptions, type HistoryScanResult } from "../history/run-history-scan.js";
import { processMetrics } from "../metrics/index.js";
import { renderHistoryFailure, renderHistoryReport } from "../render/history-report.js";
import type { JobDeps, Processor, ScanHistoryRepoJob } from "./types.js";

export function createScanHistoryRepoProcessor(options: HistoryScanOptions = {}): Processor<"scan-history-repo"> {
  return async (data, deps) => {
    await scanHistoryAndReport(data, deps, options);
  };
}

export async function scanHistoryAndReport(data: ScanHistoryRepoJob, deps: JobDeps, options: HistoryScanOptions = {}): Promise<HistoryScanResult> {
  const coords = { owner: data.owner, repo: data.repo };
  let result: HistoryScanResult;
  try {
    result = await runHistoryScan(data, deps, options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "unknown error";
    deps.log.error({ repo: `${data.owner}/${data.repo}`, reason }, "history scan failed");
    if (data.issueNumber !== undefined) {
      await commentOnIncident(deps.octokit, coords, data.issueNumber, renderHistoryFailure({ reason, ...(data.requestedBy ? { requestedBy: data.requestedBy } : {}) }));
    }
    throw new UnrecoverableError(reason);
  }
  processMetrics().scanCompleted("history", result.durationMs / 1000, result.bytes, true);
  deps.log.info(
    {
      repo: `${data.owner}/${data.repo}`,
      commits: result.commits,
      keys: result.keys.length,
      incidents: result.incidents.map((outcome) => `${outcome.action}#${outcome.issueNumber ?? "-"}`),
      durationMs: result.durationMs,
    },
    "history scan done",
  );
  if (data.issueNumber !== undefined) {
    await commentOnIncident(
      deps.octokit,
      coords,
      data.issueNumber,
      renderHistoryReport({ ...result, ...(data.requestedBy ? { requestedBy: data.requestedBy } : {}) }),
    );
  }
  return result;
}

export const scanHistoryRepoProcessor = createScanHistoryRepoProcessor();
