/*
 * The alert every channel renders: built from the incident issue as the App
 * wrote it (labels and the "Key" row), the job's ids and the repository's
 * address. The key itself is never in reach here; only its redacted form and
 * keyed fingerprint are.
 */
import type { AlertEvent, SendAlertJob } from "../jobs/types.js";
import { issueUrl } from "../render/links.js";
import type { FoundBy, RepoView, VerificationVerdict } from "../render/types.js";
import { describeIncidentKey, incidentFacts } from "../report/facts.js";
import type { RotationStatus } from "../rotation/types.js";
import type { KeyKind, Mode, Severity } from "../scanner/types.js";
import { alertIdempotencyId, EVENT_TYPES } from "./events.js";

export const ALERT_PAYLOAD_VERSION = 1;

export interface AlertPayload {
  version: typeof ALERT_PAYLOAD_VERSION;
  /** Stable per (incident, event): the Idempotency-Key header carries the same value. */
  id: string;
  type: string;
  /** One line for people, e.g. "Stripe key leak reopened: live secret key sk_live_…a1B2 in octo/app". */
  summary: string;
  installationId: number;
  /** Which scan saw the key, for opened and reopened; null for status changes. */
  foundBy: FoundBy | null;
  repository: { id: number; fullName: string; url: string };
  incident: {
    number: number;
    url: string;
    state: "open" | "closed";
    severity: Severity | null;
    key: { kind: KeyKind | null; mode: Mode | null; redacted: string | null; fingerprint: string };
    verification: VerificationVerdict | null;
    rotation: RotationStatus | null;
  };
}

export interface AlertIssue {
  number: number;
  state: "open" | "closed";
  body: string;
  labels: readonly string[];
}

const HEADLINES: Record<AlertEvent, string> = {
  opened: "Stripe key leak",
  reopened: "Stripe key leak reopened",
  verification: "Stripe key leak: verification changed",
  rotation: "Stripe key leak: rotation changed",
};

const VERDICT_WORDS: Record<VerificationVerdict, string> = {
  active: "Stripe accepts the key",
  "active-restricted": "Stripe accepts the restricted key",
  inactive: "Stripe rejects the key (rolled or deleted)",
  unknown: "Stripe could not say",
};

const ROTATION_WORDS: Record<RotationStatus, string> = {
  rotated: "the rotation handler rotated the key",
  pending: "the rotation handler accepted the request",
  failed: "rotating the key failed; roll it by hand",
};

export function buildAlertPayload(job: SendAlertJob, repo: RepoView, issue: AlertIssue): AlertPayload {
  const facts = incidentFacts(issue);
  const fullName = `${repo.owner}/${repo.repo}`;
  let summary = `${HEADLINES[job.event]}: ${describeIncidentKey(facts)} in ${fullName}`;
  if (job.event === "verification" && facts.verification) summary += `; ${VERDICT_WORDS[facts.verification]}`;
  if (job.event === "rotation" && facts.rotation) summary += `; ${ROTATION_WORDS[facts.rotation]}`;
  return {
    version: ALERT_PAYLOAD_VERSION,
    id: alertIdempotencyId(job),
    type: EVENT_TYPES[job.event],
    summary,
    installationId: job.installationId,
    foundBy: job.foundBy ?? null,
    repository: { id: job.repoId, fullName, url: repo.htmlUrl },
    incident: {
      number: issue.number,
      url: issueUrl(repo, issue.number),
      state: issue.state,
      severity: facts.severity ?? null,
      key: {
        kind: facts.kind ?? null,
        mode: facts.mode ?? (facts.kind === "webhook-secret" ? "unknown" : null),
        redacted: facts.redacted ?? null,
        fingerprint: job.fingerprint,
      },
      verification: facts.verification ?? null,
      rotation: facts.rotation ?? null,
    },
  };
}
