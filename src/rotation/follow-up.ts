/*
 * What a scan starts after it has recorded its incidents: an automatic
 * rotation for each new incident whose kind the operator listed in
 * AUTO_ROTATE_KINDS, and a later verification for each key Stripe could not
 * judge during the scan (429, 5xx, network). Pure: it returns job data (ids
 * only); dispatchFollowUps hands them to the queue.
 */
import type { IncidentOutcome } from "../jobs/incidents.js";
import type { JobDataByName, JobDeps, RepoRef } from "../jobs/types.js";
import type { SightedFinding } from "../render/types.js";
import type { KeyKind } from "../scanner/index.js";
import type { VerificationResult } from "../stripe/index.js";

export type FollowUp = { name: "rotate-key"; data: JobDataByName["rotate-key"] } | { name: "verify-key"; data: JobDataByName["verify-key"] };

export interface FollowUpInput {
  repo: RepoRef;
  sightings: readonly SightedFinding[];
  outcomes: readonly IncidentOutcome[];
  /** From verifySightings; empty when STRIPE_VERIFY_KEYS is off. */
  verdicts: ReadonlyMap<string, VerificationResult>;
  autoRotateKinds: readonly KeyKind[];
}

export function followUpJobs(input: FollowUpInput): FollowUp[] {
  const jobs: FollowUp[] = [];
  for (const outcome of input.outcomes) {
    if (outcome.issueNumber === undefined) continue;
    const sighting = input.sightings.find((candidate) => candidate.finding.fingerprint === outcome.fingerprint);
    if (!sighting) continue;
    const base = {
      installationId: input.repo.installationId,
      owner: input.repo.owner,
      repo: input.repo.repo,
      repoId: input.repo.repoId,
      issueNumber: outcome.issueNumber,
      fingerprint: outcome.fingerprint,
      location: { commitSha: sighting.location.commitSha, path: sighting.location.path, line: sighting.location.line },
    };
    if (input.verdicts.get(outcome.fingerprint)?.retryable) {
      jobs.push({ name: "verify-key", data: { ...base, requestId: `scan-${outcome.issueNumber}` } });
    }
    // Only a new incident: a key seen again must not trigger a second rotation (the job would skip it anyway).
    if (outcome.action === "created" && input.autoRotateKinds.includes(sighting.finding.kind)) {
      jobs.push({ name: "rotate-key", data: { ...base, requestId: `auto-${outcome.issueNumber}`, trigger: "auto" } });
    }
  }
  return jobs;
}

export async function dispatchFollowUps(deps: Pick<JobDeps, "dispatcher" | "log">, jobs: readonly FollowUp[]): Promise<void> {
  for (const job of jobs) {
    if (!deps.dispatcher) {
      deps.log.warn({ job: job.name, issue: job.data.issueNumber }, "no dispatcher for follow-up work; skipped");
      continue;
    }
    if (job.name === "rotate-key") await deps.dispatcher.dispatch("rotate-key", job.data);
    else await deps.dispatcher.dispatch("verify-key", job.data);
  }
}
