/*
 * What a scan job (push or pull request) calls around recordSightings, so
 * that verification and automatic rotation need three lines there:
 *
 *   const verdicts = await scanHooks().verify(findings);           // keys still in memory
 *   const outcomes = await recordSightings(deps, { …, verification: verdictsOf(verdicts) });
 *   await scanHooks().after(deps, { repo, sightings: findings, outcomes, verdicts });
 *
 * `after` labels new incidents with their verdict ("key: …" and the severity
 * it implies; the issue body already shows the verdict) and dispatches the
 * follow-up jobs: a later check where Stripe could not answer, and the
 * rotation handler for kinds in AUTO_ROTATE_KINDS.
 */
import { readEnv, type Env } from "../config/env.js";
import { getIncidentIssue, setFacetLabel } from "../github/incident-comments.js";
import type { LabelCache } from "../github/labels.js";
import type { IncidentOutcome } from "../jobs/incidents.js";
import type { JobDeps, RepoRef } from "../jobs/types.js";
import { labelDefinition, severityLabel } from "../render/labels.js";
import type { SightedFinding } from "../render/types.js";
import type { KeyKind } from "../scanner/index.js";
import { severityForVerdict, stripeApiFromUrl, verdictLabel, verifySightings, type StripeApiOptions, type VerificationResult } from "../stripe/index.js";
import { dispatchFollowUps, followUpJobs } from "./follow-up.js";

export interface AfterIncidentsInput {
  repo: RepoRef;
  sightings: readonly SightedFinding[];
  outcomes: readonly IncidentOutcome[];
  verdicts: ReadonlyMap<string, VerificationResult>;
}

export interface ScanHooks {
  verify(sightings: readonly SightedFinding[]): Promise<Map<string, VerificationResult>>;
  after(deps: JobDeps, input: AfterIncidentsInput): Promise<void>;
}

export interface ScanHookSettings {
  verifyKeys: boolean;
  stripeApi: StripeApiOptions;
  autoRotateKinds: readonly KeyKind[];
  labelCache?: LabelCache;
}

export function createScanHooks(settings: ScanHookSettings): ScanHooks {
  return {
    async verify(sightings) {
      return settings.verifyKeys ? verifySightings(sightings, settings.stripeApi) : new Map();
    },
    async after(deps, input) {
      for (const outcome of input.outcomes) {
        const result = input.verdicts.get(outcome.fingerprint);
        if (outcome.action !== "created" || outcome.issueNumber === undefined || !result || result.retryable) continue;
        const sighting = input.sightings.find((candidate) => candidate.finding.fingerprint === outcome.fingerprint);
        if (!sighting) continue;
        const repo = { owner: input.repo.owner, repo: input.repo.repo };
        const issue = await getIncidentIssue(deps.octokit, repo, outcome.issueNumber);
        if (!issue) continue;
        await setFacetLabel(deps.octokit, repo, issue, verdictLabel(result.verdict), settings.labelCache);
        const severity = severityForVerdict(sighting.finding.severity, result.verdict, sighting.finding.mode);
        await setFacetLabel(deps.octokit, repo, issue, labelDefinition(severityLabel(severity)), settings.labelCache);
      }
      await dispatchFollowUps(deps, followUpJobs({ ...input, autoRotateKinds: settings.autoRotateKinds }));
    },
  };
}

export function scanHooksFrom(env: Env): ScanHooks {
  return createScanHooks({ verifyKeys: env.STRIPE_VERIFY_KEYS, stripeApi: stripeApiFromUrl(env.STRIPE_API_URL), autoRotateKinds: env.AUTO_ROTATE_KINDS });
}

let fromEnv: ScanHooks | undefined;
/** The operator's settings, read from the environment on first use. */
export function scanHooks(): ScanHooks {
  fromEnv ??= scanHooksFrom(readEnv(process.env));
  return fromEnv;
}
