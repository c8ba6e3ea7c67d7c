/*
 * Asks for the report issue to be refreshed after an incident changed. Every
 * change in one debounce window makes the same "publish-report" job (same
 * data, so the queue keeps one), which runs once the window has ended.
 * Never throws; does nothing unless the operator turned the report issue on.
 */
import { runInBackground } from "../alerts/background.js";
import { followUpDispatcher } from "../alerts/queue.js";
import { publishReportJob } from "../jobs/report-publish.js";
import type { JobDeps, PublishReportJob } from "../jobs/types.js";
import { reportSettings, windowEnd } from "./settings.js";

/** Windows already asked for in this process, so single-process mode runs each once. */
const asked = new Set<string>();

export function requestReport(deps: JobDeps, installationId: number | undefined, owner: string, now: number = Date.now()): void {
  const settings = reportSettings();
  if (!settings.enabled) return;
  const data: PublishReportJob = { installationId: installationId ?? 0, owner, repo: ".github", notBefore: windowEnd(now, settings.intervalMs) };
  const dispatcher = followUpDispatcher(deps);
  if (dispatcher && installationId !== undefined) {
    runInBackground("queueing a report refresh", () => dispatcher.dispatch("publish-report", data), deps.log);
    return;
  }
  const key = `${owner}:${data.notBefore}`;
  if (asked.has(key)) return;
  asked.add(key);
  runInBackground("refreshing the report issue", () => publishReportJob(data, deps).finally(() => asked.delete(key)), deps.log);
}
