/*
 * What an incident issue says about its key, read back from the App's own
 * labels and the "Key" row of the body it wrote. Only values of a known shape
 * come out: a person can edit an issue's title, body and labels, and whatever
 * they typed must never travel on into an alert or a report (a pasted key
 * least of all). So the title is never copied, and the redacted key must look
 * like one ("sk_live_…a1B2").
 */
import { kindLabel } from "../render/labels.js";
import type { VerificationVerdict } from "../render/types.js";
import type { RotationStatus } from "../rotation/types.js";
import { SEVERITIES, type KeyKind, type Mode, type Severity } from "../scanner/types.js";

export interface IncidentFacts {
  redacted?: string;
  kind?: KeyKind;
  mode?: Exclude<Mode, "unknown">;
  severity?: Severity;
  verification?: VerificationVerdict;
  rotation?: RotationStatus;
}

const KINDS: readonly KeyKind[] = ["secret", "restricted", "org-secret", "webhook-secret", "publishable"];
const VERDICTS: readonly VerificationVerdict[] = ["active", "active-restricted", "inactive", "unknown"];
const ROTATIONS: readonly RotationStatus[] = ["rotated", "pending", "failed"];

const KEY_ROW = /^\| \*\*Key\*\* \| `([^`\n]{1,40})` \|/m;
/** A prefix of lowercase words joined by "_", an ellipsis, and at most the last four characters. */
const REDACTED = /^[a-z]{2,6}(?:_[a-z]{2,4}){0,2}_…[A-Za-z0-9]{0,4}$/;

function facet(labels: readonly string[], name: string): string | undefined {
  const prefix = `${name}:`;
  const label = labels.find((candidate) => candidate.toLowerCase().startsWith(prefix));
  return label?.slice(prefix.length).trim().toLowerCase();
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

export function redactedKeyOf(body: string): string | undefined {
  const value = KEY_ROW.exec(body)?.[1];
  return value !== undefined && REDACTED.test(value) ? value : undefined;
}

export function incidentFacts(issue: { body: string; labels: readonly string[] }): IncidentFacts {
  const lower = issue.labels.map((label) => label.toLowerCase());
  const kind = KINDS.find((candidate) => lower.includes(kindLabel(candidate).toLowerCase()));
  const mode = oneOf(facet(lower, "mode"), ["live", "test"] as const);
  const severity = oneOf(facet(lower, "severity"), SEVERITIES);
  const verification = oneOf(facet(lower, "key"), VERDICTS);
  const rotation = oneOf(facet(lower, "rotation"), ROTATIONS);
  const redacted = redactedKeyOf(issue.body);
  return {
    ...(redacted ? { redacted } : {}),
    ...(kind ? { kind } : {}),
    ...(mode ? { mode } : {}),
    ...(severity ? { severity } : {}),
    ...(verification ? { verification } : {}),
    ...(rotation ? { rotation } : {}),
  };
}

const KIND_WORDS: Record<KeyKind, string> = {
  secret: "secret key",
  restricted: "restricted key",
  "org-secret": "organization key",
  "webhook-secret": "webhook signing secret",
  publishable: "publishable key",
};

/** "live secret key sk_live_…a1B2", from the facts alone (never the editable title). */
export function describeIncidentKey(facts: IncidentFacts): string {
  const what = [facts.mode, facts.kind ? KIND_WORDS[facts.kind] : "key"].filter(Boolean).join(" ");
  return facts.redacted ? `${what} ${facts.redacted}` : what;
}
