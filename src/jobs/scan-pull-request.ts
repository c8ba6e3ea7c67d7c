/*
 * A pull request (opened, synchronize, reopened): scan its net diff from the
 * file list, and each commit whose additions the net diff may not show, then
 * write one check run for the head sha, one summary comment (edited in
 * place) and inline comments on the exact lines.
 *
 * API cost, by design (docs/github-app.md):
 * - A clean single-commit sync: the file-list pages plus one check-run write.
 *   The net diff is the whole history then, the config is not needed (it
 *   only acts on findings), and nothing else is written.
 * - With more commits, one commit-list page (up to 100 commits) plus one
 *   request per commit this push added besides the head; the head's own
 *   additions are all in the net diff, and earlier heads were scanned by
 *   earlier syncs. When older commits exist, one look for the PR's summary
 *   comment: if this or an earlier sync found something, the older commits
 *   are read again, so a key removed later still fails the check and stays
 *   in the summary (it is in the history).
 * - Writes beyond the check run happen only with something to say, and only
 *   while the job's head is still the PR's head: a synchronize delivered out
 *   of order writes its check run to its own (older) sha and nothing else.
 */
import { currentHeadSha, listPullFiles, PULL_FILE_CAP } from "../github/pull-files.js";
import { listPullCommits, PULL_COMMIT_CAP } from "../github/commits.js";
import { publishCheckRun } from "../github/check-runs.js";
import { createInlineComment, existingInlineComments, findSummaryComment, inlineKey, upsertSummaryComment, type SummaryWrite } from "../github/pr-comments.js";
import { statusOf } from "../github/issues.js";
import { repoView } from "../github/repo-view.js";
import { inlineMarker, renderCheckRun, renderInlineComment, renderPrSummary, SUMMARY_MARKER } from "../render/index.js";
import type { RepoView } from "../render/index.js";
import { IncidentsError, type IncidentOutcome } from "./incidents.js";
import { raiseIncidents } from "./raise-incidents.js";
import { reviewScan, type ReviewedScan } from "./review-scan.js";
import { dedupeFindings, scanChangedFiles, type FileScan, type Gap } from "./scan-files.js";
import { scanCommits } from "./scan-history.js";
import type { JobDeps, Processor, PullRequestJob } from "./types.js";
import { processMetrics, recordScan } from "../metrics/index.js";

export interface PullRequestScanResult {
  complete: boolean;
  notCovered: string[];
  reviewed: ReviewedScan;
  /** False when a newer head superseded this job before it wrote comments. */
  current: boolean;
  checkRunId: number;
  conclusion: string;
  summary?: SummaryWrite["action"];
  inlineCreated: number;
  incidents: IncidentOutcome[];
  /** Bytes of patch and blob text scanned. */
  bytes?: number;
}

export async function scanPullRequest(job: PullRequestJob, deps: JobDeps): Promise<PullRequestScanResult> {
  const { octokit } = deps;
  const repo = { owner: job.owner, repo: job.repo };
  const view: RepoView = repoView(job, octokit.request.endpoint.DEFAULTS.baseUrl);
  const location = { ref: `pull/${job.number}`, pushedBy: job.author, prNumber: job.number };

  const { files, filesMayBeCapped } = await listPullFiles(octokit, repo, job.number);
  const net = await scanChangedFiles(files, { octokit, repo, pepper: deps.pepper, commitSha: job.headSha, location });
  // With the payload's count at hand, a list of exactly 3,000 files is known to be whole.
  if (filesMayBeCapped && (job.changedFiles === undefined || job.changedFiles > files.length)) {
    const total = job.changedFiles !== undefined ? `${job.changedFiles}` : `${PULL_FILE_CAP} or more`;
    net.gaps.push({ message: `GitHub lists only the first ${files.length} of ${total} changed files of a pull request; the rest were not scanned` });
  }

  const history = await scanPullHistory(job, deps, net.findings.length > 0, location);
  const scan: FileScan = {
    findings: dedupeFindings(net.findings, history.findings),
    binarySkipped: [...new Set([...net.binarySkipped, ...history.binarySkipped])],
    gaps: [...net.gaps, ...history.gaps],
    blobsFetched: net.blobsFetched + history.blobsFetched,
    bytes: (net.bytes ?? 0) + (history.bytes ?? 0),
  };
  const reviewed = await reviewScan(octokit, repo, scan);
  const incomplete = reviewed.gaps.map((gap) => gap.message);
  const hasNews = reviewed.findings.length > 0 || incomplete.length > 0 || reviewed.configErrors.length > 0;

  // Incidents first, so the summary can link them; a fork's keys are raised once merged (by the push).
  let incidents: IncidentOutcome[] = [];
  let incidentError: unknown;
  if (reviewed.findings.length > 0 && !job.fromFork) {
    try {
      incidents = await raiseIncidents(deps, { ref: job, repo: { ...view, repoId: job.repoId }, sightings: reviewed.findings, foundBy: "pull-request", config: reviewed.config });
    } catch (error) {
      if (!(error instanceof IncidentsError)) throw error;
      incidents = [...error.outcomes];
      incidentError = error;
    }
  }

  const rendered = renderCheckRun({
    repo: view,
    headSha: job.headSha,
    findings: reviewed.findings,
    failOn: reviewed.config.check.failOn,
    incomplete,
    configErrors: reviewed.configErrors,
  });
  const checkRunId = await publishCheckRun(octokit, repo, job.headSha, rendered);

  const result: PullRequestScanResult = {
    complete: incomplete.length === 0,
    notCovered: incomplete,
    reviewed,
    current: true,
    checkRunId,
    conclusion: rendered.conclusion,
    inlineCreated: 0,
    incidents,
    bytes: scan.bytes ?? 0,
  };

  if (hasNews && (reviewed.config.comments.summary || reviewed.config.comments.inline)) {
    // Serialised per PR: concurrent deliveries would each find no summary and each post one.
    await deps.lock.withLock(`pr-comments:${job.repoId}:${job.number}`, () => writeComments(job, deps, view, incidents, result));
  }
  if (incidentError) throw incidentError;
  return result;
}

/** Summary and inline comments, only while the job's head is still the PR's head. */
async function writeComments(job: PullRequestJob, deps: JobDeps, view: RepoView, incidents: readonly IncidentOutcome[], result: PullRequestScanResult): Promise<void> {
  const repo = { owner: job.owner, repo: job.repo };
  const { reviewed } = result;
  result.current = (await currentHeadSha(deps.octokit, repo, job.number)) === job.headSha;
  if (!result.current) return;
  if (reviewed.config.comments.summary) {
    const incidentNumbers = new Map<string, number>();
    for (const outcome of incidents) if (outcome.issueNumber !== undefined) incidentNumbers.set(outcome.fingerprint, outcome.issueNumber);
    const body = withSummaryMarker(
      renderPrSummary({
        repo: view,
        prNumber: job.number,
        headSha: job.headSha,
        findings: reviewed.findings,
        incomplete: result.notCovered,
        configErrors: reviewed.configErrors,
        incidents: incidentNumbers,
      }),
    );
    result.summary = (await upsertSummaryComment(deps.octokit, repo, job.number, body)).action;
  }
  if (reviewed.config.comments.inline) result.inlineCreated = await postInlineComments(job, deps, reviewed);
}

/**
 * Commits whose additions the net diff may not show: every commit but the
 * head, and on a synchronize only those after the previous head, unless
 * something was found now or before (then all of them).
 */
async function scanPullHistory(
  job: PullRequestJob,
  deps: JobDeps,
  netHasFindings: boolean,
  location: { ref: string; pushedBy: string; prNumber: number },
): Promise<FileScan> {
  const empty: FileScan = { findings: [], binarySkipped: [], gaps: [], blobsFetched: 0 };
  if (job.commits !== undefined && job.commits <= 1) return empty;
  const repo = { owner: job.owner, repo: job.repo };
  const listed = await listPullCommits(deps.octokit, repo, job.number);
  const gaps: Gap[] = [];
  if (job.commits !== undefined ? job.commits > listed.length : listed.length >= PULL_COMMIT_CAP) {
    const total = job.commits !== undefined ? `${job.commits}` : `${PULL_COMMIT_CAP} or more`;
    gaps.push({ message: `GitHub lists only ${listed.length} of ${total} commits of a pull request; the others were scanned only through the net diff` });
  }
  const candidates = listed.filter((commit) => commit.parents <= 1 && commit.sha !== job.headSha).map((commit) => commit.sha);
  const previous = job.before ? listed.findIndex((commit) => commit.sha === job.before) : -1;
  const fresh = previous >= 0 ? candidates.filter((sha) => listed.findIndex((commit) => commit.sha === sha) > previous) : candidates;
  const ctx = { octokit: deps.octokit, repo, pepper: deps.pepper, location };
  const scan = await scanCommits(fresh, ctx);
  const older = candidates.filter((sha) => !fresh.includes(sha));
  // The older commits were scanned by earlier syncs. If those found something (they left a summary),
  // read them again so this head's check run and summary still show keys that are only in the history.
  const readOlder =
    older.length > 0 && (netHasFindings || scan.findings.length > 0 || (await findSummaryComment(deps.octokit, repo, job.number)) !== undefined);
  if (readOlder) {
    const olderScan = await scanCommits(older, ctx);
    scan.findings.push(...olderScan.findings);
    scan.binarySkipped.push(...olderScan.binarySkipped);
    scan.gaps.push(...olderScan.gaps);
    scan.blobsFetched += olderScan.blobsFetched;
    scan.bytes = (scan.bytes ?? 0) + (olderScan.bytes ?? 0);
  }
  scan.gaps.unshift(...gaps);
  return scan;
}

async function postInlineComments(job: PullRequestJob, deps: JobDeps, reviewed: ReviewedScan): Promise<number> {
  // Only lines the head's patch adds: GitHub rejects review comments outside the diff.
  const onDiff = reviewed.findings.filter((item) => item.inPatch && item.location.commitSha === job.headSha);
  if (onDiff.length === 0) return 0;
  const repo = { owner: job.owner, repo: job.repo };
  const existing = await existingInlineComments(deps.octokit, repo, job.number);
  let created = 0;
  for (const item of onDiff) {
    const key = inlineKey(item.finding.fingerprint, item.location.path, item.location.line);
    if (existing.has(key)) continue;
    existing.add(key);
    const marker = inlineMarker(item.finding.fingerprint, item.location.path, item.location.line);
    const rendered = renderInlineComment({ finding: item.finding, location: item.location, ...(item.allowedReason ? { allowedReason: item.allowedReason } : {}) });
    const body = rendered.includes(marker) ? rendered : `${rendered.trimEnd()}\n\n${marker}`;
    try {
      await createInlineComment(deps.octokit, repo, { number: job.number, headSha: job.headSha }, item.location, body);
      created++;
    } catch (error) {
      // 422: GitHub does not take this line (e.g. the head moved on); the check run and summary still carry the finding.
      if (statusOf(error) !== 422) throw error;
      deps.log.warn({ pr: job.number, path: item.location.path, line: item.location.line }, "GitHub refused an inline comment; the finding stays in the check run and summary");
    }
  }
  return created;
}

function withSummaryMarker(body: string): string {
  return body.includes(SUMMARY_MARKER) ? body : `${SUMMARY_MARKER}\n${body}`;
}

export const scanPullRequestProcessor: Processor<"scan-pull-request"> = async (data, deps) => {
  const started = performance.now();
  const result = await scanPullRequest(data, deps);
  recordScan(processMetrics(), "pull_request", (performance.now() - started) / 1000, {
    findings: result.reviewed.findings.map((sighted) => sighted.finding),
    complete: result.complete,
    incidents: result.incidents,
    ...(result.bytes !== undefined ? { bytes: result.bytes } : {}),
  });
  const fields = {
    repo: `${data.owner}/${data.repo}`,
    pr: data.number,
    delivery: data.deliveryId,
    head: data.headSha.slice(0, 12),
    conclusion: result.conclusion,
    findings: result.reviewed.findings.length,
    current: result.current,
    summary: result.summary,
    inline: result.inlineCreated,
  };
  if (result.complete) deps.log.info(fields, "pull request scanned");
  else deps.log.warn({ ...fields, notCovered: result.notCovered }, "pull request scan INCOMPLETE: some changes were not covered");
};
