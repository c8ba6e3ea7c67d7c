/*
 * Every scan (push, pull request, backfill, history) raises incidents the same
 * way: check the keys with Stripe while they are still in memory, record the
 * sightings, then label the verdicts and start the follow-ups (a later check,
 * an automatic rotation). Keeping it in one place means no scan path can
 * forget verification or rotation.
 */
import { scanHooks, type ScanHooks } from "../rotation/scan-hooks.js";
import { verdictsOf } from "../stripe/index.js";
import { IncidentsError, recordSightings, type IncidentOptions, type IncidentOutcome, type RecordSightingsInput } from "./incidents.js";
import type { JobDeps, RepoRef } from "./types.js";

export interface RaiseIncidentsInput extends Omit<RecordSightingsInput, "verification"> {
  /** The job's ids, for follow-up jobs. */
  ref: RepoRef;
}

export interface RaiseIncidentsOptions extends IncidentOptions {
  /** Defaults to the operator's settings from the environment. */
  hooks?: ScanHooks;
}

export async function raiseIncidents(deps: JobDeps, input: RaiseIncidentsInput, options: RaiseIncidentsOptions = {}): Promise<IncidentOutcome[]> {
  const { ref, ...record } = input;
  const { hooks = scanHooks(), ...incidentOptions } = options;
  const verdicts = await hooks.verify(record.sightings);
  try {
    const outcomes = await recordSightings(deps, { ...record, verification: verdictsOf(verdicts) }, incidentOptions);
    await hooks.after(deps, { repo: ref, sightings: record.sightings, outcomes, verdicts });
    return outcomes;
  } catch (error) {
    // The incidents that did land still get their labels and follow-ups before the job is retried.
    if (error instanceof IncidentsError) await hooks.after(deps, { repo: ref, sightings: record.sightings, outcomes: error.outcomes, verdicts });
    throw error;
  }
}
