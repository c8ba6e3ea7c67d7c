/*
 * A push: scan what it brought, through the compare API (before...after, or
 * the default branch...after for a new branch; a force push compares from
 * the merge base, so only the new commits count), then hand findings to the
 * incidents module.
 *
 * Costs: a branch deletion, a tag or an empty push costs nothing; any other
 * push costs one compare request (and its pages) plus one blob request per
 * file whose patch GitHub left out. Compare shows the push's net change, so
 * a commit that changed a file another commit of the push changed too (the
 * handler finds them in the payload) is also read on its own: a key added
 * and removed again within one push is in the history. A push whose commits
 * change disjoint files reads nothing more. When compare's 300-file list is
 * full, each commit is read on its own (its file list goes to 3,000);
 * whatever stays uncovered is named in the result.
 */
import { compareCommits, type Comparison } from "../github/compare.js";
import { listRecentCommits } from "../github/commits.js";
import { repoView } from "../github/repo-view.js";
import type { Location } from "../render/index.js";
import { IncidentsError, type IncidentOutcome } from "./incidents.js";
import { raiseIncidents } from "./raise-incidents.js";
import { reviewScan } from "./review-scan.js";
import { dedupeFindings, emptyScan, mergeScans, scanChangedFiles, type FileScan, type ScannedFinding } from "./scan-files.js";
import { MAX_COMMITS_PER_SCAN, scanCommits } from "./scan-history.js";
import type { JobDeps, Processor, PushJob } from "./types.js";
import { processMetrics, recordScan } from "../metrics/index.js";

const ZERO_SHA = /^0{40}$/;

export interface PushScanResult {
  /** "skipped": nothing to scan (deletion, tag, empty push). */
  status: "skipped" | "scanned";
  reason?: string;
  /** False when something could not be covered; `notCovered` says what. Never "clean" then. */
  complete: boolean;
  notCovered: string[];
  findings: ScannedFinding[];
  binarySkipped: string[];
  configErrors: string[];
  incidents: IncidentOutcome[];
  /** Bytes of patch and blob text scanned. */
  bytes?: number;
}

function skipped(reason: string): PushScanResult {
  return { status: "skipped", reason, complete: true, notCovered: [], findings: [], binarySkipped: [], configErrors: [], incidents: [] };
}

export async function scanPush(job: PushJob, deps: JobDeps): Promise<PushScanResult> {
  if (ZERO_SHA.test(job.after)) return skipped("branch deleted");
  if (!job.ref.startsWith("refs/heads/")) return skipped("not a branch");
  if (job.before === job.after) return skipped("nothing new");

  const { octokit } = deps;
  const repo = { owner: job.owner, repo: job.repo };
  const branch = job.ref.slice("refs/heads/".length);
  const location: Omit<Location, "path" | "line" | "commitSha"> = { ref: branch, pushedBy: job.pusher };
  const history = { octokit, repo, pepper: deps.pepper, location };

  const newBranch = job.created || ZERO_SHA.test(job.before);
  let scan: FileScan;
  if (newBranch && branch === job.defaultBranch) {
    // The repository's first push: there is nothing to compare against.
    scan = await scanFirstPush(job, deps, history);
  } else {
    const base = newBranch ? job.defaultBranch : job.before;
    let comparison = await compareCommits(octokit, repo, base, job.after);
    const fallbackGaps: string[] = [];
    if (!comparison && base !== job.defaultBranch) {
      // A force push can leave `before` unknown to GitHub; the default branch is the next best base.
      deps.log.warn({ repo: `${job.owner}/${job.repo}`, base: base.slice(0, 12) }, "compare failed for the pushed range; comparing with the default branch");
      comparison = await compareCommits(octokit, repo, job.defaultBranch, job.after);
    }
    if (!comparison) {
      // Still read the commits the payload showed hiding something: they were just pushed, so GitHub has them.
      const rescan = job.rescanCommits ?? [];
      const scanned = rescan.length > 0 ? `the head commit and ${rescan.length} earlier commit(s) of the push were scanned` : "the head commit was scanned";
      fallbackGaps.push(`GitHub could not compare ${short(base)}...${short(job.after)}; only ${scanned}`);
      scan = await scanCommits([...rescan, job.after], history);
    } else {
      scan = await scanComparison(job, comparison, history);
    }
    scan.gaps.push(...fallbackGaps.map((message) => ({ message })));
  }

  const reviewed = await reviewScan(octokit, repo, scan);
  const result: PushScanResult = {
    status: "scanned",
    complete: reviewed.gaps.length === 0,
    notCovered: reviewed.gaps.map((gap) => gap.message),
    findings: reviewed.findings,
    binarySkipped: reviewed.binarySkipped,
    configErrors: reviewed.configErrors,
    incidents: [],
    bytes: scan.bytes ?? 0,
  };
  if (reviewed.findings.length > 0) {
    const view = repoView(job, octokit.request.endpoint.DEFAULTS.baseUrl);
    try {
      result.incidents = await raiseIncidents(deps, {
        ref: job,
        repo: { ...view, repoId: job.repoId },
        sightings: reviewed.findings,
        foundBy: "push",
        config: reviewed.config,
      });
    } catch (error) {
      if (error instanceof IncidentsError) result.incidents = [...error.outcomes];
      throw error;
    }
  }
  return result;
}

async function scanComparison(job: PushJob, comparison: Comparison, history: Parameters<typeof scanCommits>[1]): Promise<FileScan> {
  const head = comparison.commits.find((commit) => commit.sha === job.after);
  const net = await scanChangedFiles(comparison.files, {
    octokit: history.octokit,
    repo: history.repo,
    pepper: history.pepper,
    commitSha: job.after,
    ...(head ? { commit: { sha: head.sha, author: head.author, date: head.date, ...(head.email ? { email: head.email } : {}) } } : {}),
    location: history.location,
  });
  // With the file list full, every commit is read on its own to reach the files past it;
  // otherwise only those the handler found changing a file another commit changed too.
  const oneByOne = comparison.filesMayBeCapped ? comparison.commits.filter((commit) => commit.parents <= 1).map((commit) => commit.sha) : rescanned(job, comparison);
  const older = await scanCommits(oneByOne, history);
  if (comparison.filesMayBeCapped && oneByOne.length === 0) {
    older.gaps.push({ message: `GitHub lists at most ${comparison.files.length} changed files for a comparison; the rest were not scanned` });
  }
  if (!comparison.filesMayBeCapped && (job.rescanSkipped ?? 0) > 0) {
    older.gaps.push({
      message: `${job.rescanSkipped} older commit(s) of this push changed files that later commits changed again and were not read one by one (limit ${MAX_COMMITS_PER_SCAN}); a key they added and a later commit removed would be missed`,
    });
  }
  const merged = emptyScan();
  mergeScans(merged, net);
  merged.findings = dedupeFindings(net.findings, older.findings);
  merged.binarySkipped = [...new Set([...net.binarySkipped, ...older.binarySkipped])];
  merged.gaps.push(...older.gaps);
  merged.blobsFetched += older.blobsFetched;
  return merged;
}

/**
 * The job's rescan list, less merge commits (their content arrived in their
 * parents) and commits the comparison does not contain (e.g. after falling
 * back to the default branch). Those compare did not list are kept only when
 * its commit list is short of its total.
 */
function rescanned(job: PushJob, comparison: Comparison): string[] {
  const parents = new Map(comparison.commits.map((commit) => [commit.sha, commit.parents]));
  const listedAll = comparison.commits.length >= comparison.totalCommits;
  return (job.rescanCommits ?? []).filter((sha) => {
    const count = parents.get(sha);
    return count === undefined ? !listedAll : count <= 1;
  });
}

async function scanFirstPush(job: PushJob, deps: JobDeps, history: Parameters<typeof scanCommits>[1]): Promise<FileScan> {
  const listed = await listRecentCommits(deps.octokit, history.repo, job.after, MAX_COMMITS_PER_SCAN);
  const shas = listed.filter((commit) => commit.parents <= 1).map((commit) => commit.sha).reverse();
  const scan = await scanCommits(shas, history);
  if (listed.length >= MAX_COMMITS_PER_SCAN) {
    scan.gaps.push({ message: `the first push brought more than ${MAX_COMMITS_PER_SCAN} commits; only the newest ${MAX_COMMITS_PER_SCAN} were scanned` });
  }
  return scan;
}

function short(ref: string): string {
  return /^[0-9a-f]{40}$/.test(ref) ? ref.slice(0, 12) : ref;
}

export const scanPushProcessor: Processor<"scan-push"> = async (data, deps) => {
  const started = performance.now();
  const result = await scanPush(data, deps);
  if (result.status === "scanned") {
    const findings = result.findings.map((sighted) => sighted.finding);
    recordScan(processMetrics(), "push", (performance.now() - started) / 1000, {
      findings,
      complete: result.complete,
      incidents: result.incidents,
      ...(result.bytes !== undefined ? { bytes: result.bytes } : {}),
    });
  }
  const fields = {
    repo: `${data.owner}/${data.repo}`,
    delivery: data.deliveryId,
    after: data.after.slice(0, 12),
    status: result.status,
    findings: result.findings.length,
    binarySkipped: result.binarySkipped.length,
    incidents: result.incidents.map((outcome) => `${outcome.action}#${outcome.issueNumber ?? "-"}`),
    ...(result.configErrors.length > 0 ? { configErrors: result.configErrors } : {}),
  };
  if (result.complete) deps.log.info(fields, result.reason ? `push not scanned: ${result.reason}` : "push scanned");
  else deps.log.warn({ ...fields, notCovered: result.notCovered }, "push scan INCOMPLETE: some changes were not covered");
};
