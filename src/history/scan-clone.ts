/*
 * The CLI's history scanner (src/cli/scan-git.ts: `git log -p --all`
 * streamed through the splitter) run on a clone, and per key the commit
 * that introduced it: the oldest commit whose diff adds it.
 */
import { createProgress } from "../cli/progress.js";
import { ScanTally } from "../cli/report.js";
import { scanGitLog } from "../cli/scan-git.js";
import type { Finding } from "../scanner/index.js";

export interface HistoryScan {
  commits: number;
  bytes: number;
  /** Every finding, in git log order (newest first). */
  findings: Finding[];
  /** Per fingerprint, the oldest introduction in each path (oldest first), at most MAX_PATHS_PER_KEY paths. */
  introductions: Map<string, Finding[]>;
  binarySkipped: number;
}

export const MAX_PATHS_PER_KEY = 20;

const silentStream = { write: () => true, isTTY: false };

export async function scanCloneHistory(gitDir: string, pepper: string): Promise<HistoryScan> {
  const tally = new ScanTally();
  await scanGitLog(["--all"], { repo: gitDir, pepper, skipPath: () => false, tally, progress: createProgress(silentStream, false) }, false);
  return {
    commits: tally.commits,
    bytes: tally.bytes,
    findings: tally.findings,
    introductions: oldestIntroductions(tally.findings),
    binarySkipped: tally.skipped.length,
  };
}

/**
 * git log lists newest first (by commit date, children before parents), so
 * among equal dates the later entry is the older commit. Per fingerprint and
 * path the oldest wins; the paths are then ordered oldest first, so the
 * first is the key's first appearance anywhere.
 */
export function oldestIntroductions(findings: readonly Finding[]): Map<string, Finding[]> {
  const best = new Map<string, { finding: Finding; time: number; order: number }>();
  findings.forEach((finding, order) => {
    const time = finding.commit ? Date.parse(finding.commit.date) : Number.POSITIVE_INFINITY;
    const id = `${finding.fingerprint}\0${finding.path}`;
    const current = best.get(id);
    if (!current || time < current.time || (time === current.time && order > current.order)) best.set(id, { finding, time, order });
  });
  const byKey = new Map<string, Array<{ finding: Finding; time: number; order: number }>>();
  for (const entry of best.values()) {
    const list = byKey.get(entry.finding.fingerprint);
    if (list) list.push(entry);
    else byKey.set(entry.finding.fingerprint, [entry]);
  }
  const out = new Map<string, Finding[]>();
  for (const [fingerprint, list] of byKey) {
    list.sort((a, b) => a.time - b.time || b.order - a.order);
    out.set(fingerprint, list.slice(0, MAX_PATHS_PER_KEY).map((entry) => entry.finding));
  }
  return out;
}
