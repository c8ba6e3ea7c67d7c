/*
 * The verify-key job: a later check of an incident's key (an issue command,
 * or a retry after Stripe could not answer). The key is read again from the
 * commit and path the incident recorded and re-detected by fingerprint; it
 * lives only in memory for the one Stripe call.
 *
 * Safe to run twice: each request leaves one comment, marked with its
 * request id. An "unknown" caused by Stripe being unavailable throws after
 * commenting once, so the queue retries with backoff; a later definite
 * verdict then gets its own comment.
 */
import { alertOnStatus } from "../alerts/notify.js";
import { readEnv } from "../config/env.js";
import { getIncidentIssue, listAppCommentBodies, commentOnIncident, setFacetLabel, type IncidentIssue } from "../github/incident-comments.js";
import type { RepoCoords } from "../github/issues.js";
import type { LabelCache } from "../github/labels.js";
import { readRecordedKey } from "../github/recorded-key.js";
import { labelDefinition, severityLabel } from "../render/labels.js";
import { parseIncidentMarker } from "../render/markers.js";
import type { VerificationVerdict } from "../render/types.js";
import type { Finding } from "../scanner/index.js";
import { checkKey, isVerifiableKind, severityForVerdict, stripeApiFromUrl, verdictLabel, type StripeApiOptions, type VerificationResult } from "../stripe/index.js";
import { recordedVerdictFor, renderNotVerifiable, renderVerdictComment, verificationMarker, type VerdictCommentInput } from "../stripe/verdict-comment.js";
import type { InstallationOctokit, JobDeps, Processor, VerifyKeyJob } from "./types.js";

export class StripeUnavailableError extends Error {
  override name = "StripeUnavailableError";
}

export interface VerifyKeyOptions {
  stripeApi: StripeApiOptions;
  labelCache?: LabelCache;
}

const KIND_NAMES: Record<Finding["kind"], string> = {
  secret: "secret key",
  restricted: "restricted key",
  "org-secret": "organization key",
  "webhook-secret": "webhook signing secret",
  publishable: "publishable key",
};

export function apiBaseUrlOf(octokit: InstallationOctokit): string {
  return octokit.request.endpoint.DEFAULTS.baseUrl;
}

export function createVerifyKeyProcessor(options: VerifyKeyOptions): Processor<"verify-key"> {
  // Serialised per incident, so a request delivered twice at once reads the other's comment before checking.
  return (data, deps) => deps.lock.withLock(`verification:${data.repoId}:${data.fingerprint}`, () => verifyUnderLock(data, deps, options));
}

async function verifyUnderLock(data: VerifyKeyJob, deps: JobDeps, options: VerifyKeyOptions): Promise<void> {
  const repo: RepoCoords = { owner: data.owner, repo: data.repo };
  const log = deps.log.child({ job: "verify-key", repoId: data.repoId, issue: data.issueNumber, fingerprint: data.fingerprint.slice(0, 12) });
  const issue = await loadIncident(deps.octokit, repo, data, log);
  if (!issue) return;

  const bodies = await listAppCommentBodies(deps.octokit, repo, data.issueNumber);
  const recorded = recordedVerdictFor(bodies, data.requestId);
  if (recorded !== undefined && recorded !== "unknown") {
    log.info({ verdict: recorded }, "verification already reported for this request");
    return;
  }

  const key = await readRecordedKey(deps.octokit, repo, data.location, data.fingerprint, deps.pepper);
  if (!key.found) {
    if (recorded === undefined) {
      await commentOnIncident(deps.octokit, repo, data.issueNumber, `The key could not be checked with Stripe: ${key.reason}.\n\n${verificationMarker("unknown", data.requestId)}`);
    }
    log.warn({ reason: key.reason }, "key could not be read again for verification");
    return;
  }
  if (!isVerifiableKind(key.finding.kind)) {
    if (recorded === undefined) await commentOnIncident(deps.octokit, repo, data.issueNumber, renderNotVerifiable(KIND_NAMES[key.finding.kind], data.requestId));
    return;
  }

  const result = await checkKey(key.secret, options.stripeApi);
  log.info({ verdict: result.verdict, retryable: result.retryable }, "key verified with Stripe");
  if (!(result.verdict === "unknown" && recorded === "unknown")) {
    await reportVerdict(deps, repo, issue, key.finding, result, {
      requestId: data.requestId,
      context: data.requestedBy ? "command" : "scheduled",
      ...(data.requestedBy ? { requestedBy: data.requestedBy } : {}),
      ...(options.labelCache ? { labelCache: options.labelCache } : {}),
    });
    await alertOnStatus(deps, data, { event: "verification", status: result.verdict, before: issue.labels, requestId: data.requestId });
  }
  if (result.retryable) throw new StripeUnavailableError(`Stripe could not verify the key yet: ${result.reason}`);
}

async function loadIncident(octokit: InstallationOctokit, repo: RepoCoords, data: VerifyKeyJob, log: JobDeps["log"]): Promise<IncidentIssue | undefined> {
  const issue = await getIncidentIssue(octokit, repo, data.issueNumber);
  if (!issue) {
    log.warn("incident issue is gone; nothing to verify");
    return undefined;
  }
  if (parseIncidentMarker(issue.body) !== data.fingerprint) {
    log.warn("issue is not the incident for this fingerprint; nothing to verify");
    return undefined;
  }
  return issue;
}

export interface ReportOptions {
  requestId: string;
  context: VerdictCommentInput["context"];
  requestedBy?: string;
  /** Close the incident after commenting (inactive after a rotation, when the repo config asks). */
  closing?: boolean;
  labelCache?: LabelCache;
}

/**
 * Shows a verdict on the incident: a comment, the "key: …" label and the
 * severity label it implies. Also what the scan path calls after a
 * verification made while the key was in memory.
 */
export async function reportVerdict(
  deps: Pick<JobDeps, "octokit">,
  repo: RepoCoords,
  issue: Pick<IncidentIssue, "number" | "labels">,
  finding: Pick<Finding, "mode" | "severity">,
  result: VerificationResult,
  options: ReportOptions,
): Promise<VerificationVerdict> {
  const severity = severityForVerdict(finding.severity, result.verdict, finding.mode);
  // Labels first: the comment marks this request as reported, so it goes last.
  await setFacetLabel(deps.octokit, repo, issue, verdictLabel(result.verdict), options.labelCache);
  await setFacetLabel(deps.octokit, repo, issue, labelDefinition(severityLabel(severity)), options.labelCache);
  await commentOnIncident(
    deps.octokit,
    repo,
    issue.number,
    renderVerdictComment({
      verdict: result.verdict,
      reason: result.reason,
      mode: finding.mode,
      severity,
      requestId: options.requestId,
      context: options.context,
      willRetry: result.retryable,
      ...(options.closing ? { closing: true } : {}),
      ...(options.requestedBy ? { requestedBy: options.requestedBy } : {}),
    }),
  );
  return result.verdict;
}

/** Reads the operator's environment on first use, so importing this module has no side effects. */
let fromEnv: Processor<"verify-key"> | undefined;
export const verifyKeyJob: Processor<"verify-key"> = (data, deps) => {
  fromEnv ??= createVerifyKeyProcessor({ stripeApi: stripeApiFromUrl(readEnv(process.env).STRIPE_API_URL) });
  return fromEnv(data, deps);
};

