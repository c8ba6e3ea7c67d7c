/*
 * The rotate-key job: calls the operator's rotation handler for one incident
 * and shows the outcome on the issue.
 *
 * At-least-once safe: under the per-incident lock, the App's own rotation
 * markers on the issue say whether this request was already handled and
 * whether the key was already reported rotated; only then is the handler
 * called, so concurrent or redelivered requests make one call. The key is
 * read from GitHub at call time (for verification, and for the request when
 * ROTATION_SEND_SECRET is set); it never enters job data.
 *
 * Outcomes: a 2xx answer becomes a comment and a "rotation: …" label; 5xx,
 * 429 and timeouts are retried with backoff, then the job throws so the
 * queue retries later; anything else is refused for good (UnrecoverableError)
 * after a comment.
 */
import { UnrecoverableError } from "bullmq";
import { alertOnStatus } from "../alerts/notify.js";
import { readEnv } from "../config/env.js";
import { loadRepoConfig } from "../github/config.js";
import { closeIncident, commentOnIncident, getIncidentIssue, listAppCommentBodies, setFacetLabel, type IncidentIssue } from "../github/incident-comments.js";
import { parseRecordedLocations } from "../github/incident-links.js";
import type { RepoCoords } from "../github/issues.js";
import type { LabelCache } from "../github/labels.js";
import { readRecordedKey, type RecordedKey } from "../github/recorded-key.js";
import { repoView } from "../github/repo-view.js";
import { parseIncidentMarker } from "../render/markers.js";
import type { RepoView, VerificationVerdict } from "../render/types.js";
import { callWithRetries } from "../rotation/call-with-retries.js";
import {
  parseRotationMarkers,
  renderAlreadyRotated,
  renderAnswered,
  renderDryRun,
  renderKeyUnreadable,
  renderNoHandler,
  renderRefused,
  renderRetrying,
  requestDigest,
  rotationMarker,
  ROTATION_LABELS,
  type CommentContext,
} from "../rotation/comments.js";
import { rotationIdempotencyId } from "../rotation/idempotency.js";
import { buildRotationRequest, describeForDryRun } from "../rotation/request.js";
import { rotationSettingsFrom, type RotationSettings } from "../rotation/settings.js";
import { checkKey, isVerifiableKind } from "../stripe/index.js";
import { processMetrics } from "../metrics/index.js";
import type { JobDeps, Processor, RotateKeyJob } from "./types.js";
import { apiBaseUrlOf, reportVerdict } from "./verify-key.js";

export class RotationHandlerUnavailableError extends Error {
  override name = "RotationHandlerUnavailableError";
  /** The handler's Retry-After, for the queue's next attempt (src/queue/classify-error.ts reads it). */
  readonly retryAfterMs?: number;

  constructor(message: string, retryAfterMs?: number) {
    super(message);
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }
}

export interface RotateKeyOptions {
  settings: RotationSettings;
  labelCache?: LabelCache;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export function rotationLockKey(data: Pick<RotateKeyJob, "repoId" | "fingerprint">): string {
  return `rotation:${data.repoId}:${data.fingerprint}`;
}

export function createRotateKeyProcessor(options: RotateKeyOptions): Processor<"rotate-key"> {
  return (data, deps) => deps.lock.withLock(rotationLockKey(data), () => rotateUnderLock(data, deps, options));
}

async function rotateUnderLock(data: RotateKeyJob, deps: JobDeps, options: RotateKeyOptions): Promise<void> {
  const { settings } = options;
  const repo: RepoCoords = { owner: data.owner, repo: data.repo };
  const log = deps.log.child({ job: "rotate-key", repoId: data.repoId, issue: data.issueNumber, fingerprint: data.fingerprint.slice(0, 12) });
  const comment = (body: string) => commentOnIncident(deps.octokit, repo, data.issueNumber, body);

  const issue = await getIncidentIssue(deps.octokit, repo, data.issueNumber);
  if (!issue || parseIncidentMarker(issue.body) !== data.fingerprint) {
    log.warn("no incident issue for this fingerprint; nothing to rotate");
    return;
  }
  const bodies = await listAppCommentBodies(deps.octokit, repo, data.issueNumber);
  const recorded = parseRotationMarkers(bodies);
  const digest = requestDigest(data.requestId);
  const mine = recorded.filter((entry) => entry.request === digest);
  if (mine.some((entry) => entry.state !== "retrying")) {
    log.info("this rotation request was already handled");
    return;
  }
  const done = recorded.findLast((entry) => entry.state === "rotated" || entry.state === "pending");

  const view = repoView({ owner: data.owner, repo: data.repo }, apiBaseUrlOf(deps.octokit));
  const base = {
    handler: settings.handler?.description ?? "the rotation handler",
    requestId: data.requestId,
    trigger: data.trigger,
    ...(data.requestedBy ? { requestedBy: data.requestedBy } : {}),
    idempotencyId: rotationIdempotencyId(data.repoId, data.fingerprint),
  };

  if (done) {
    // A repeat of a request that already succeeded: an automatic one stays silent, a person gets an answer.
    if (data.trigger === "command") await comment(renderAlreadyRotated({ ...base, mode: "unknown" }, done.state === "pending" ? "pending" : "rotated"));
    log.info({ state: done.state }, "key already reported rotated; handler not called");
    return;
  }
  if (!settings.handler) {
    await comment(`${renderNoHandler(settings.problem)}\n\n${rotationMarker("refused", data.requestId)}`);
    log.warn({ problem: settings.problem }, "rotation requested but no usable handler is configured");
    return;
  }

  const key = await readRecordedKey(deps.octokit, repo, data.location, data.fingerprint, deps.pepper);
  if (!key.found) {
    await comment(`${renderKeyUnreadable(key.reason)}\n\n${rotationMarker("refused", data.requestId)}`);
    throw new UnrecoverableError(`rotation request not sent: ${key.reason}`);
  }
  const context: CommentContext = { ...base, mode: key.finding.mode };
  const verification = await verifyBefore(key, settings);
  const locations = [data.location, ...parseRecordedLocations([issue.body, ...bodies], view.htmlUrl)];
  const request = buildRotationRequest({
    job: data,
    repo: view,
    key: { kind: key.finding.kind, mode: key.finding.mode, redacted: key.finding.redacted },
    locations: dedupe(locations),
    verification,
    ...(settings.sendSecret ? { secret: key.secret } : {}),
  });

  if (settings.dryRun) {
    await comment(renderDryRun(context, describeForDryRun(request)));
    log.info("dry run: rotation request shown, not sent");
    return;
  }

  const { outcome, attempts } = await callWithRetries(settings.handler, request, {
    attempts: settings.attempts,
    baseDelayMs: settings.baseDelayMs,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.random ? { random: options.random } : {}),
    onRetry: (retry, attempt, delayMs) => log.warn({ attempt, delayMs, reason: retry.reason }, "rotation handler call will be retried"),
  });

  switch (outcome.type) {
    case "answered": {
      // Label first: the comment is the record that this request is done, so it goes last.
      await setFacetLabel(deps.octokit, repo, issue, ROTATION_LABELS[outcome.status], options.labelCache);
      await comment(renderAnswered(context, outcome.status, outcome.message, attempts));
      log.info({ status: outcome.status, attempts }, "rotation handler answered");
      processMetrics().rotationFinished(outcome.status);
      await alertOnStatus(deps, data, { event: "rotation", status: outcome.status, before: issue.labels, requestId: data.requestId });
      if (outcome.status !== "rotated") return;
      try {
        await checkAfterRotation(deps, repo, view, issue, key, data, options);
      } catch (error) {
        // The rotation is recorded; a failed follow-up check must not make the queue call the handler again.
        log.warn({ err: error }, "checking the key after the rotation failed");
      }
      return;
    }
    case "retry": {
      processMetrics().rotationFinished("retrying");
      if (!mine.some((entry) => entry.state === "retrying")) await comment(renderRetrying(context, outcome.reason, attempts));
      throw new RotationHandlerUnavailableError(`rotation handler unavailable after ${attempts} attempts: ${outcome.reason}`, outcome.retryAfterMs);
    }
    case "refused": {
      processMetrics().rotationFinished("refused");
      await setFacetLabel(deps.octokit, repo, issue, ROTATION_LABELS.failed, options.labelCache);
      await comment(renderRefused(context, outcome.reason));
      await alertOnStatus(deps, data, { event: "rotation", status: "failed", before: issue.labels, requestId: data.requestId });
      throw new UnrecoverableError(`rotation refused: ${outcome.reason}`);
    }
  }
}

async function verifyBefore(key: Extract<RecordedKey, { found: true }>, settings: RotationSettings): Promise<VerificationVerdict | "not-checked"> {
  if (!settings.verifyKeys || !isVerifiableKind(key.finding.kind)) return "not-checked";
  return (await checkKey(key.secret, settings.stripeApi)).verdict;
}

/** After a reported rotation, Stripe is asked again; only its 401 counts as confirmation. */
async function checkAfterRotation(
  deps: JobDeps,
  repo: RepoCoords,
  view: RepoView,
  issue: IncidentIssue,
  key: Extract<RecordedKey, { found: true }>,
  data: RotateKeyJob,
  options: RotateKeyOptions,
): Promise<void> {
  if (!options.settings.verifyKeys || !isVerifiableKind(key.finding.kind)) return;
  const result = await checkKey(key.secret, options.settings.stripeApi);
  const closing = result.verdict === "inactive" && (await loadRepoConfig(deps.octokit, repo)).config.incidents.closeWhenInactive;
  const fresh = (await getIncidentIssue(deps.octokit, repo, issue.number)) ?? issue;
  await reportVerdict(deps, repo, fresh, key.finding, result, {
    requestId: `${data.requestId}:after-rotation`,
    context: "after-rotation",
    closing,
    ...(options.labelCache ? { labelCache: options.labelCache } : {}),
  });
  await alertOnStatus(deps, data, { event: "verification", status: result.verdict, before: fresh.labels, requestId: `${data.requestId}:after-rotation` });
  if (closing && fresh.state === "open") await closeIncident(deps.octokit, repo, issue.number, "completed");
  deps.log.info({ verdict: result.verdict, closed: closing, repo: view.htmlUrl }, "key checked after rotation");
}

function dedupe<T extends { commitSha: string; path: string; line: number }>(locations: readonly T[]): T[] {
  const seen = new Set<string>();
  return locations.filter((location) => {
    const id = `${location.commitSha}\0${location.path}\0${location.line}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Reads the operator's environment on first use, so importing this module has no side effects. */
let fromEnv: Processor<"rotate-key"> | undefined;
export const rotateKeyJob: Processor<"rotate-key"> = (data, deps) => {
  fromEnv ??= createRotateKeyProcessor({ settings: rotationSettingsFrom(readEnv(process.env)) });
  return fromEnv(data, deps);
};
