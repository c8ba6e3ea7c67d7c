/*
 * A full-history scan of one repository: bare clone with the installation
 * token, the CLI's history scanner over every branch and tag, the repo
 * config applied, one incident per key naming the commit that introduced
 * it, and the clone removed afterwards whatever happened.
 */
import type { RepoConfig } from "../config/repo-config.js";
import { describeFoundByLabel, withFoundByLabel } from "../backfill/labels.js";
import { loadRepoConfig } from "../github/config.js";
import { repoView } from "../github/repo-view.js";
import { IncidentsError, type IncidentOutcome } from "../jobs/incidents.js";
import { raiseIncidents } from "../jobs/raise-incidents.js";
import type { JobDeps, ScanHistoryRepoJob } from "../jobs/types.js";
import { applyPolicy, compilePolicy } from "../policy/index.js";
import type { HistoryReportKey } from "../render/history-report.js";
import type { RepoView, SightedFinding } from "../render/types.js";
import type { Finding } from "../scanner/index.js";
import { bareClone, removeClone, scrubToken } from "./clone.js";
import { cloneUrlFor } from "./clone-url.js";
import { scanCloneHistory } from "./scan-clone.js";

export interface HistoryScanOptions {
  /** Where to clone from; default the installation's GitHub (GHE_HOST honoured through the API root). */
  cloneUrl?: (job: ScanHistoryRepoJob, apiBaseUrl: string) => string;
  /** Skip the token (a local path or file:// URL in tests and benchmarks). */
  anonymous?: boolean;
  /** Parent of the temporary clone directory. */
  tmpDir?: string;
}

export interface HistoryScanResult {
  repo: RepoView;
  commits: number;
  /** Bytes of `git log -p` output read. */
  bytes: number;
  durationMs: number;
  keys: HistoryReportKey[];
  binarySkipped: number;
  incidents: IncidentOutcome[];
}

/** The installation token, asked of the installation's Octokit (Probot caches and renews it). */
export async function installationToken(octokit: JobDeps["octokit"]): Promise<string> {
  const auth = (await octokit.auth({ type: "installation" })) as { token?: unknown };
  if (typeof auth.token !== "string" || auth.token === "") throw new Error("the installation's Octokit gave no token");
  return auth.token;
}

export async function runHistoryScan(job: ScanHistoryRepoJob, deps: JobDeps, options: HistoryScanOptions = {}): Promise<HistoryScanResult> {
  const started = Date.now();
  const apiBaseUrl = deps.octokit.request.endpoint.DEFAULTS.baseUrl;
  const view = repoView(job, apiBaseUrl);
  const coords = { owner: job.owner, repo: job.repo };
  const token = options.anonymous ? undefined : await installationToken(deps.octokit);
  const url = options.cloneUrl ? options.cloneUrl(job, apiBaseUrl) : cloneUrlFor(apiBaseUrl, job.owner, job.repo);

  const clone = await bareClone({ url, ...(token ? { token } : {}), ...(options.tmpDir ? { parentDir: options.tmpDir } : {}) });
  deps.log.info({ repo: `${job.owner}/${job.repo}` }, "history scan: repository cloned");
  let scan;
  try {
    scan = await scanCloneHistory(clone.gitDir, deps.pepper);
  } catch (error) {
    throw new Error(`history scan failed: ${scrubToken(error instanceof Error ? error.message : String(error), token)}`, { cause: error });
  } finally {
    await removeClone(clone).catch((error: unknown) => deps.log.error({ err: error, dir: clone.root }, "could not remove the history clone"));
  }

  const keys: HistoryReportKey[] = [];
  let incidents: IncidentOutcome[] = [];
  const failed = new Set<string>();
  if (scan.introductions.size > 0) {
    const { config, errors } = await loadRepoConfig(deps.octokit, coords);
    if (errors.length > 0) deps.log.warn({ repo: `${job.owner}/${job.repo}`, errors }, "repository config has problems; defaults apply where it is wrong");
    const sightings = toSightings(scan.introductions, config);
    try {
      incidents = await raiseIncidents(
        deps,
        { ref: job, repo: { ...view, repoId: job.repoId }, sightings, foundBy: "history", config: withFoundByLabel(config, "history") },
        { describeLabel: describeFoundByLabel },
      );
    } catch (error) {
      if (!(error instanceof IncidentsError)) throw error;
      incidents = [...error.outcomes];
      for (const failure of error.failures) failed.add(failure.fingerprint);
      deps.log.error({ repo: `${job.owner}/${job.repo}`, failed: error.failures.length }, "history scan: some incidents could not be recorded");
    }
    keys.push(...reportKeys(sightings, incidents, failed));
  }
  return { repo: view, commits: scan.commits, bytes: scan.bytes, durationMs: Date.now() - started, keys, binarySkipped: scan.binarySkipped, incidents };
}

/** Oldest introduction first for each key, so it becomes the incident's "first seen"; ignored paths and accepted keys dropped. */
function toSightings(introductions: ReadonlyMap<string, Finding[]>, config: RepoConfig): SightedFinding[] {
  const all = [...introductions.values()].flat();
  const result = applyPolicy(all, compilePolicy(config));
  const reported = new Map(result.reported.map((entry) => [entry.finding, entry]));
  const sightings: SightedFinding[] = [];
  for (const findings of introductions.values()) {
    for (const finding of findings) {
      const entry = reported.get(finding);
      if (!entry) continue;
      const sighting: SightedFinding = { finding, location: { path: finding.path, line: finding.line, commitSha: finding.commit?.sha ?? "HEAD" } };
      if (entry.allowed) sighting.allowedReason = entry.allowed.reason;
      sightings.push(sighting);
    }
  }
  return sightings;
}

function reportKeys(sightings: readonly SightedFinding[], incidents: readonly IncidentOutcome[], failed: ReadonlySet<string>): HistoryReportKey[] {
  const byFingerprint = new Map(incidents.map((outcome) => [outcome.fingerprint, outcome]));
  const firsts = new Map<string, { sighting: SightedFinding; paths: number }>();
  for (const sighting of sightings) {
    const current = firsts.get(sighting.finding.fingerprint);
    if (current) current.paths++;
    else firsts.set(sighting.finding.fingerprint, { sighting, paths: 1 });
  }
  return [...firsts.values()].map(({ sighting, paths }) => {
    const { finding } = sighting;
    const outcome = byFingerprint.get(finding.fingerprint);
    const key: HistoryReportKey = { redacted: finding.redacted, severity: finding.severity, introduced: sighting.location, otherPaths: paths - 1 };
    if (finding.commit) {
      key.author = finding.commit.author;
      key.date = finding.commit.date;
    }
    if (outcome?.issueNumber !== undefined && outcome.action !== "skipped") key.incident = { number: outcome.issueNumber, action: outcome.action };
    else if (failed.has(finding.fingerprint)) key.noIncident = "could not be recorded (GitHub failed); run the scan again";
    else key.noIncident = sighting.allowedReason !== undefined ? `allowed: ${sighting.allowedReason}` : "not raised (repo config)";
    return key;
  });
}
