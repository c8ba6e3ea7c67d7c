import { severityAtLeast, type Finding, type Severity } from "../scanner/types.js";
import type { PolicyFinding } from "../policy/index.js";

export interface SkippedItem {
  path: string;
  /** Why it was not scanned, e.g. "compressed archive (zip): not scanned", "larger than 100 MiB", "unreadable (EACCES)". */
  reason: string;
}

export interface ScanStats {
  /** Files scanned: whole files, or per-file sections of a diff or commit. */
  files: number;
  /** Bytes read: file contents, or diff/log text. */
  bytes: number;
  /** Commits scanned (--git, --history); 0 otherwise. */
  commits: number;
  /** Things that were not scanned; see `skipped` for each one. */
  skipped: number;
  durationMs: number;
}

export interface ScanReport {
  findings: PolicyFinding[];
  stats: ScanStats;
  skipped: SkippedItem[];
  /** Accepted by the config's allow list and not shown. */
  suppressed: number;
  /** Found in paths the config ignores. */
  ignored: number;
  /** Where the repo config came from, if one was used. */
  configPath?: string;
  /** Paths of the files that were scanned as bytes (binary files); their findings are marked so. Absent when none. */
  binaryFiles?: ReadonlySet<string>;
}

/** Mutable totals while a scan runs; every input mode feeds one. */
export class ScanTally {
  readonly findings: Finding[] = [];
  readonly skipped: SkippedItem[] = [];
  /** Display paths of files scanned as bytes; whole-file scans only (a diff marks binary files without content). */
  readonly binaryFiles = new Set<string>();
  files = 0;
  bytes = 0;
  commits = 0;

  addFindings(found: readonly Finding[]): void {
    for (const finding of found) this.findings.push(finding);
  }

  skip(path: string, reason: string): void {
    this.skipped.push({ path, reason });
  }
}

/** Whether a finding was made in a binary file's bytes rather than in text. History findings never are. */
export function inBinaryFile(report: Pick<ScanReport, "binaryFiles">, finding: Pick<Finding, "path" | "commit">): boolean {
  return finding.commit === undefined && report.binaryFiles?.has(finding.path) === true;
}

/** Whether a finding makes the scan exit 1: at or above the threshold and not accepted by the config. */
export function failsScan(entry: PolicyFinding, failOn: Severity | "none"): boolean {
  if (failOn === "none" || entry.allowed !== undefined) return false;
  return severityAtLeast(entry.finding.severity, failOn);
}
