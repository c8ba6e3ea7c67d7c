import type { PolicyFinding } from "../policy/index.js";
import { inBinaryFile, type ScanReport } from "./report.js";

/*
 * The JSON output, documented in docs/cli.md and pinned by a test: fields are
 * listed one by one so nothing new (least of all key material) slips in.
 */

export interface JsonFinding {
  ruleId: string;
  path: string;
  line: number;
  column: number;
  endColumn: number;
  kind: string;
  mode: string;
  severity: string;
  redacted: string;
  fingerprint: string;
  encoding?: string;
  /** true when found in a binary file's bytes; line counts \n bytes and column counts bytes. Absent otherwise. */
  binary?: true;
  note?: string;
  commit?: { sha: string; author: string; email?: string; date: string };
  allowed?: { reason: string };
}

export function toJsonFinding({ finding, allowed }: PolicyFinding, binary = false): JsonFinding {
  const out: JsonFinding = {
    ruleId: finding.ruleId,
    path: finding.path,
    line: finding.line,
    column: finding.column,
    endColumn: finding.endColumn,
    kind: finding.kind,
    mode: finding.mode,
    severity: finding.severity,
    redacted: finding.redacted,
    fingerprint: finding.fingerprint,
  };
  if (finding.encoding !== undefined) out.encoding = finding.encoding;
  if (binary) out.binary = true;
  if (finding.note !== undefined) out.note = finding.note;
  if (finding.commit !== undefined) {
    const { sha, author, email, date } = finding.commit;
    out.commit = email === undefined ? { sha, author, date } : { sha, author, email, date };
  }
  if (allowed !== undefined) out.allowed = { reason: allowed.reason };
  return out;
}

export function formatJson(report: ScanReport): string {
  const { files, bytes, commits, skipped, durationMs } = report.stats;
  const body = {
    findings: report.findings.map((entry) => toJsonFinding(entry, inBinaryFile(report, entry.finding))),
    stats: { files, bytes, commits, skipped, durationMs },
    skipped: report.skipped.map(({ path, reason }) => ({ path, reason })),
  };
  return JSON.stringify(body, null, 2) + "\n";
}
