import type { Finding, KeyKind, Mode, Severity } from "../scanner/index.js";

const KIND_NAMES: Record<KeyKind, string> = {
  secret: "secret key",
  restricted: "restricted key",
  "org-secret": "organization secret key",
  "webhook-secret": "webhook signing secret",
  publishable: "publishable key",
};

export function describeKind(kind: KeyKind, mode: Mode): string {
  const name = KIND_NAMES[kind];
  return mode === "unknown" ? name : `${mode} ${name}`;
}

/** The short form people quote and paste into `allow:` (12 hex characters, the config's minimum). */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, 12);
}

export function countBySeverity(findings: readonly Finding[]): Map<Severity, number> {
  const counts = new Map<Severity, number>();
  for (const finding of findings) counts.set(finding.severity, (counts.get(finding.severity) ?? 0) + 1);
  return counts;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(2)} GiB`;
}
