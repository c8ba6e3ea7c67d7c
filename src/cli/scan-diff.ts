import { parseUnifiedDiff, scanLines, type CommitInfo } from "../scanner/index.js";
import type { ScanTally } from "./report.js";

export interface DiffScanContext {
  pepper: string;
  skipPath: (path: string) => boolean;
  tally: ScanTally;
  commit?: CommitInfo;
}

/** Scans the added lines of a unified diff; binary files are counted as skipped. */
export function scanDiffText(text: string, ctx: DiffScanContext): void {
  const parsed = parseUnifiedDiff(text);
  let binaries = 0;
  for (const file of parsed.files) {
    if (file.binary) {
      binaries++;
      ctx.tally.skip(file.path, ctx.commit ? `binary (commit ${ctx.commit.sha.slice(0, 12)})` : "binary");
      continue;
    }
    if (file.added.length === 0 || ctx.skipPath(file.path)) continue;
    ctx.tally.files++;
    const found = scanLines(file.added, ctx.commit ? { path: file.path, pepper: ctx.pepper, commit: ctx.commit } : { path: file.path, pepper: ctx.pepper });
    if (ctx.commit) for (const finding of found) finding.commit ??= ctx.commit;
    ctx.tally.addFindings(found);
  }
  // Binary files the parser counted but did not list by name.
  for (let i = binaries; i < parsed.skippedBinary; i++) ctx.tally.skip("(binary file in diff)", "binary");
}
