/*
 * Backfill of one repository: its default branch at its head, from ONE
 * tarball request, streamed through the scanner. Findings go through the
 * incident module like any push's, labelled found-by:backfill. The done-set
 * is written last, so a crash before it means "not done" and the repository
 * is tried again; once written, no worker asks GitHub for it again.
 */
import type { RepoConfig } from "../config/repo-config.js";
import { loadRepoConfig } from "../github/config.js";
import { repoView } from "../github/repo-view.js";
import { openTarball } from "../github/tarball.js";
import type { IncidentOutcome } from "../jobs/incidents.js";
import { raiseIncidents } from "../jobs/raise-incidents.js";
import type { BackfillRepoJob, JobDeps } from "../jobs/types.js";
import type { Metrics } from "../metrics/index.js";
import { applyPolicy, compilePolicy } from "../policy/index.js";
import { RetryLaterError } from "../queue/errors.js";
import type { SightedFinding } from "../render/types.js";
import type { Finding } from "../scanner/index.js";
import { describeFoundByLabel, withFoundByLabel } from "./labels.js";
import type { BackfillProgress } from "./progress.js";
import { scanTarball } from "./scan-tarball.js";
import type { BackfillServices } from "./services.js";

export interface RepoBackfillResult {
  status: "scanned" | "already-done" | "empty";
  filesScanned: number;
  bytesScanned: number;
  binarySkipped: number;
  findings: number;
  incidents: IncidentOutcome[];
  progress: BackfillProgress;
  commitSha?: string;
}

export async function backfillRepository(job: BackfillRepoJob, deps: JobDeps, services: BackfillServices, metrics?: Metrics): Promise<RepoBackfillResult> {
  const { store } = services;
  const started = Date.now();
  const none = { filesScanned: 0, bytesScanned: 0, binarySkipped: 0, findings: 0, incidents: [] as IncidentOutcome[] };
  if ((await store.doneAmong(job.installationId, [job.repoId])).has(job.repoId)) {
    return { status: "already-done", ...none, progress: await store.progress(job.installationId) };
  }
  const pausedUntil = await store.pausedUntil(job.installationId);
  if (pausedUntil !== undefined) {
    throw new RetryLaterError(`backfill of installation ${job.installationId} is paused to leave GitHub's rate limit to live events`, pausedUntil - Date.now());
  }
  await services.pacer.acquire(job.installationId);

  const coords = { owner: job.owner, repo: job.repo };
  const tarball = await openTarball(deps.octokit, coords);
  if (tarball.kind === "missing") {
    const progress = await store.markDone(job.installationId, job.repoId);
    return { status: "empty", ...none, progress };
  }
  if (tarball.rate && tarball.rate.remaining < tarball.rate.limit * services.limits.reserveFraction) {
    // Later repositories wait for the reset; this one, already paid for, goes on.
    await store.pauseUntil(job.installationId, tarball.rate.resetAt + 1000);
    deps.log.warn({ installation: job.installationId, remaining: tarball.rate.remaining, limit: tarball.rate.limit }, "GitHub rate limit low: backfill paused until it resets");
  }

  const scan = await scanTarball(tarball.body, { pepper: deps.pepper });
  const commitSha = scan.commitSha ?? "HEAD";
  let incidents: IncidentOutcome[] = [];
  let reported = 0;
  if (scan.findings.length > 0) {
    const { sightings, config } = await review(deps, coords, scan.findings, commitSha);
    reported = sightings.length;
    for (const sighting of sightings) metrics?.findingsFound(sighting.finding.kind);
    if (sightings.length > 0) {
      const view = repoView(job, deps.octokit.request.endpoint.DEFAULTS.baseUrl);
      incidents = await raiseIncidents(deps, { ref: job, repo: { ...view, repoId: job.repoId }, sightings, foundBy: "backfill", config }, { describeLabel: describeFoundByLabel });
    }
  }
  const progress = await store.markDone(job.installationId, job.repoId);
  metrics?.scanCompleted("backfill", (Date.now() - started) / 1000, scan.bytesScanned, true);
  metrics?.backfillProgress(job.installationId, progress.done, progress.total);
  return {
    status: "scanned",
    filesScanned: scan.filesScanned,
    bytesScanned: scan.bytesScanned,
    binarySkipped: scan.binarySkipped.length,
    findings: reported,
    incidents,
    progress,
    ...(scan.commitSha ? { commitSha: scan.commitSha } : {}),
  };
}

/** The repo config (read only now that there is something to act on) applied: ignored paths and allowed keys. */
async function review(
  deps: JobDeps,
  coords: { owner: string; repo: string },
  findings: readonly Finding[],
  commitSha: string,
): Promise<{ sightings: SightedFinding[]; config: RepoConfig }> {
  const { config, errors } = await loadRepoConfig(deps.octokit, coords);
  if (errors.length > 0) deps.log.warn({ repo: `${coords.owner}/${coords.repo}`, errors }, "repository config has problems; defaults apply where it is wrong");
  const result = applyPolicy(findings, compilePolicy(config));
  const sightings = result.reported.map((entry) => {
    const sighting: SightedFinding = { finding: entry.finding, location: { path: entry.finding.path, line: entry.finding.line, commitSha } };
    if (entry.allowed) sighting.allowedReason = entry.allowed.reason;
    return sighting;
  });
  return { sightings, config: withFoundByLabel(config, "backfill") };
}
