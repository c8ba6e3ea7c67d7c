import { SEVERITIES, type Severity } from "../scanner/types.js";
import type { PolicyFinding } from "../policy/index.js";
import { countBySeverity, describeKind, formatBytes, plural, shortFingerprint } from "./describe.js";
import { failsScan, inBinaryFile, type ScanReport } from "./report.js";

export interface TextOptions {
  color: boolean;
  failOn: Severity | "none";
}

const SEVERITY_COLOR: Record<Severity, string> = {
  critical: "\x1b[1;31m",
  high: "\x1b[31m",
  medium: "\x1b[33m",
  low: "\x1b[36m",
  info: "\x1b[2m",
};
const DIM = "\x1b[2m";
const BOLD = "\x1b[1m";
const RESET = "\x1b[0m";

/** Shown in skipped lists before "and N more". */
const SKIPPED_SHOWN = 20;

export function formatText(report: ScanReport, options: TextOptions): string {
  const paint = (code: string, text: string): string => (options.color ? `${code}${text}${RESET}` : text);
  const lines: string[] = [];
  const pathWidth = Math.min(60, Math.max(0, ...report.findings.map((f) => location(f).length)));

  for (const entry of report.findings) {
    const { finding } = entry;
    const severity = paint(SEVERITY_COLOR[finding.severity], finding.severity.padEnd(8));
    const encoded = finding.encoding ? ` (${finding.encoding}-encoded)` : "";
    const binary = inBinaryFile(report, finding) ? " (in binary file)" : "";
    lines.push(
      `${paint(BOLD, location(entry).padEnd(pathWidth))}  ${severity}  ${describeKind(finding.kind, finding.mode)}${encoded}${binary}  ` +
        `${finding.redacted}  ${paint(DIM, `fp ${shortFingerprint(finding.fingerprint)}`)}`,
    );
    if (finding.commit) {
      const who = finding.commit.email ? `${finding.commit.author} <${finding.commit.email}>` : finding.commit.author;
      lines.push(`    commit ${finding.commit.sha.slice(0, 12)}  ${who}  ${finding.commit.date}`);
    }
    if (finding.note) lines.push(`    note: ${finding.note}`);
    if (entry.allowed) lines.push(`    allowed by config: ${entry.allowed.reason}`);
  }
  if (report.findings.length > 0) lines.push("");

  lines.push(summaryLine(report, options, paint));
  const extras: string[] = [];
  if (report.suppressed > 0) extras.push(`${plural(report.suppressed, "finding")} accepted by the config's allow list`);
  if (report.ignored > 0) extras.push(`${plural(report.ignored, "finding")} in paths the config ignores`);
  if (extras.length > 0) lines.push(`Not shown: ${extras.join("; ")}.`);
  if (report.configPath) lines.push(paint(DIM, `Config: ${report.configPath}`));

  if (report.skipped.length > 0) {
    lines.push(paint(SEVERITY_COLOR.medium, `INCOMPLETE: ${plural(report.skipped.length, "item was", "items were")} not scanned:`));
    for (const item of report.skipped.slice(0, SKIPPED_SHOWN)) lines.push(`  ${item.path}: ${item.reason}`);
    if (report.skipped.length > SKIPPED_SHOWN) lines.push(`  … and ${report.skipped.length - SKIPPED_SHOWN} more (--format json lists them all)`);
  }
  return lines.join("\n") + "\n";
}

function location({ finding }: PolicyFinding): string {
  return `${finding.path}:${finding.line}:${finding.column}`;
}

function summaryLine(report: ScanReport, options: TextOptions, paint: (code: string, text: string) => string): string {
  const { stats } = report;
  const scope = [plural(stats.files, "file")];
  if (stats.commits > 0) scope.unshift(plural(stats.commits, "commit"));
  scope.push(formatBytes(stats.bytes));
  const where = `${scope.join(", ")} in ${(stats.durationMs / 1000).toFixed(2)} s`;
  const findings = report.findings.map((entry) => entry.finding);
  if (findings.length === 0) {
    return report.skipped.length > 0 ? `No Stripe keys found in what was scanned (${where}), but the scan is incomplete.` : `No Stripe keys found (${where}).`;
  }
  const counts = countBySeverity(findings);
  const parts = [...SEVERITIES].reverse().flatMap((severity) => {
    const count = counts.get(severity);
    return count ? [`${count} ${severity}`] : [];
  });
  const failing = report.findings.filter((entry) => failsScan(entry, options.failOn)).length;
  const verdict = options.failOn === "none" ? "" : failing > 0 ? `; ${failing} at or above ${options.failOn}` : `; none at or above ${options.failOn}`;
  return paint(BOLD, `${plural(findings.length, "Stripe key finding")} (${parts.join(", ")}${verdict}) in ${where}.`);
}
