/**
 * The engine's vocabulary. Everything here is plain data that is safe to log,
 * serialise or store: the raw key is never a property of a Finding. While a
 * Finding object is alive, `revealSecret(finding)` (src/scanner/secret.ts)
 * returns the key for in-memory use (verification); copies of the object
 * (spread, JSON) carry nothing secret.
 */

export type KeyKind = "secret" | "restricted" | "org-secret" | "webhook-secret" | "publishable";

/** Webhook signing secrets do not say which mode they belong to. */
export type Mode = "live" | "test" | "unknown";

/** Ascending order matters: thresholds compare positions in this list. */
export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export type Encoding = "base64" | "percent" | "unicode-escape";

export interface CommitInfo {
  sha: string;
  author: string;
  email?: string;
  /** ISO 8601. */
  date: string;
}

export interface Finding {
  /** Stable id of the rule that matched, e.g. "stripe-secret-live". */
  ruleId: string;
  path: string;
  /** 1-based line in the (new) file. */
  line: number;
  /** 1-based UTF-16 column of the first character of the match (or of the encoded text). */
  column: number;
  /** One past the last character, as in SARIF. */
  endColumn: number;
  kind: KeyKind;
  mode: Mode;
  severity: Severity;
  /** Prefix plus the last four characters, e.g. "sk_live_…a1B2". */
  redacted: string;
  /** Hex HMAC-SHA-256 of the key value alone, keyed with the operator's pepper. */
  fingerprint: string;
  /** Set when the key was found behind an encoding; the span is the encoded text's. */
  encoding?: Encoding;
  /** Human note, e.g. for Stripe's publicly documented sample key. */
  note?: string;
  /** Set for history and diff-with-commit scans. */
  commit?: CommitInfo;
}

export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(threshold);
}
