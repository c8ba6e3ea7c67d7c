/*
 * The "publish-report" job: refresh the installation's report issue in the
 * owner's `.github` repository. Debounced: a job waits for the end of its
 * window (RetryLaterError), and a job whose window a later refresh already
 * covered does nothing, so a burst of incident changes costs one refresh.
 *
 * Published only to a private or internal `.github` repository: the report
 * names repositories with live keys, and a public `.github` repository
 * (common: it holds the organisation's profile README) would show that to
 * everyone.
 */
import { createReportIssue, findReportIssue, pinIssue, repoVisibility, reportIssueBody, updateReportIssue } from "../github/report-issue.js";
import { RetryLaterError } from "../queue/errors.js";
import { collectReport } from "../report/collect.js";
import type { InstallationReport } from "../report/model.js";
import { renderReportMarkdown, reportTitle } from "../report/render.js";
import type { JobDeps, Processor, PublishReportJob } from "./types.js";

export interface PublishReportOptions {
  now?: () => Date;
  /** Already collected (the CLI's --publish), so GitHub is read once. */
  report?: InstallationReport;
}

export type PublishOutcome = "created" | "updated" | "covered" | "not-published";

export function createPublishReportProcessor(options: PublishReportOptions = {}): Processor<"publish-report"> {
  return async (data, deps) => {
    await publishReport(data, deps, options);
  };
}

export async function publishReport(data: PublishReportJob, deps: JobDeps, options: PublishReportOptions = {}): Promise<PublishOutcome> {
  const now = options.now ?? (() => new Date());
  const wait = data.notBefore - now().getTime();
  if (wait > 0) throw new RetryLaterError("the report waits for the end of its debounce window", wait);
  return deps.lock.withLock(`report:${data.installationId}:${data.owner}`, () => publishUnderLock(data, deps, now, options.report));
}

async function publishUnderLock(data: PublishReportJob, deps: JobDeps, now: () => Date, collected?: InstallationReport): Promise<PublishOutcome> {
  const target = { owner: data.owner, repo: ".github" };
  const log = deps.log.child({ job: "publish-report", installation: data.installationId, owner: data.owner });
  const visibility = await repoVisibility(deps.octokit, target);
  if (visibility === "missing") {
    log.warn(`${data.owner}/.github does not exist or the App is not installed on it; the report issue is not published`);
    return "not-published";
  }
  if (visibility === "public") {
    log.warn(`${data.owner}/.github is public; the report names repositories with leaked keys, so it is published only to a private or internal .github repository`);
    return "not-published";
  }
  const existing = await findReportIssue(deps.octokit, target);
  if (existing?.generatedAt !== undefined && existing.generatedAt >= data.notBefore) {
    log.info("a later refresh already covered this change");
    return "covered";
  }

  const generatedAt = now();
  const report = collected ?? (await collectReport(deps.octokit, { installationId: data.installationId, owner: data.owner }));
  const title = reportTitle(report);
  const body = reportIssueBody(renderReportMarkdown(report, { now: generatedAt }), generatedAt);
  if (!existing) {
    const created = await createReportIssue(deps.octokit, target, title, body);
    const refusal = await pinIssue(deps.octokit, created.nodeId);
    if (refusal) log.warn({ reason: refusal }, "the report issue could not be pinned; it stays open, unpinned");
    log.info({ issue: created.number, incidents: report.incidents.length }, "report issue created");
    return "created";
  }
  await updateReportIssue(deps.octokit, target, existing.number, title, body);
  log.info({ issue: existing.number, incidents: report.incidents.length, incomplete: report.incomplete.length }, "report issue updated");
  return "updated";
}

export const publishReportJob: Processor<"publish-report"> = createPublishReportProcessor();
