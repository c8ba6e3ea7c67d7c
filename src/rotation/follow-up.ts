/*
 * What a scan starts after it has recorded its incidents: an automatic
 * rotation for each new incident whose kind the operator listed in
 * AUTO_ROTATE_KINDS, and a later verification for each key Stripe could not
 * judge during the scan (429, 5xx, network). followUpJobs is pure and returns
 * job data (ids only); dispatchFollowUps hands them on.
 */
import type { IncidentOutcome } from "../jobs/incidents.js";
import { runInBackground } from "../alerts/background.js";
import { followUpDispatcher } from "../alerts/queue.js";
import { rotateKeyJob } from "../jobs/rotate-key.js";
import type { JobDataByName, JobDeps, Processor, RepoRef } from "../jobs/types.js";
import { verifyKeyJob } from "../jobs/verify-key.js";
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

export interface FollowUpRunners {
  "rotate-key": Processor<"rotate-key">;
  "verify-key": Processor<"verify-key">;
}

const defaultRunners: FollowUpRunners = { "rotate-key": rotateKeyJob, "verify-key": verifyKeyJob };

/**
 * Queues the follow-ups (the job's dispatcher, or the worker's BullMQ queue);
 * in single-process mode, where there is no queue, runs them in the
 * background so they never hold up the scan that found the key.
 */
export async function dispatchFollowUps(deps: JobDeps, jobs: readonly FollowUp[], runners: FollowUpRunners = defaultRunners): Promise<void> {
  const dispatcher = followUpDispatcher(deps);
  for (const job of jobs) {
    if (dispatcher) {
      if (job.name === "rotate-key") await dispatcher.dispatch("rotate-key", job.data);
      else await dispatcher.dispatch("verify-key", job.data);
      continue;
    }
    const work = job.name === "rotate-key" ? () => runners["rotate-key"](job.data, deps) : () => runners["verify-key"](job.data, deps);
    runInBackground(`${job.name} for issue #${job.data.issueNumber}`, work, deps.log);
  }
}
