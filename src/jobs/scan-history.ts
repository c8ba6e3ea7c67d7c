/*
 * Commit-by-commit scanning, for what a net diff cannot show: a key added in
 * one commit and removed in a later one, and files past compare's 300-file
 * list. One request (plus file pages) per commit, so it is bounded.
 */
import { getCommitDiff } from "../github/commits.js";
import type { RepoCoords } from "../github/compare.js";
import type { Location } from "../render/index.js";
import { emptyScan, mergeScans, scanChangedFiles, type FileScan } from "./scan-files.js";
import type { InstallationOctokit } from "./types.js";

/** Commits scanned one by one per job, newest kept; older ones get a gap line. */
export const MAX_COMMITS_PER_SCAN = 100;

export interface HistoryContext {
  octokit: InstallationOctokit;
  repo: RepoCoords;
  pepper: string;
  location: Omit<Location, "path" | "line" | "commitSha">;
}

/** `shas` oldest first. Merge commits should be filtered out by the caller (their content arrived in their parents). */
export async function scanCommits(shas: readonly string[], ctx: HistoryContext): Promise<FileScan> {
  const out = emptyScan();
  const kept = shas.slice(-MAX_COMMITS_PER_SCAN);
  const dropped = shas.length - kept.length;
  if (dropped > 0) {
    out.gaps.push({ message: `${dropped} older commit(s) were not scanned one by one (limit ${MAX_COMMITS_PER_SCAN}); only their net change was` });
  }
  for (const sha of kept) {
    const diff = await getCommitDiff(ctx.octokit, ctx.repo, sha);
    const scan = await scanChangedFiles(diff.files, {
      octokit: ctx.octokit,
      repo: ctx.repo,
      pepper: ctx.pepper,
      commitSha: diff.sha,
      commit: { sha: diff.sha, author: diff.author, date: diff.date, ...(diff.email ? { email: diff.email } : {}) },
      location: ctx.location,
    });
    if (diff.filesMayBeCapped) {
      scan.gaps.push({ message: `commit ${diff.sha.slice(0, 12)} changes ${diff.files.length} files or more; GitHub lists no more, so any beyond were not scanned` });
    }
    mergeScans(out, scan);
  }
  return out;
}
