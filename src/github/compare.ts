/*
 * The compare API: what `head` brings over `base` (from their merge base), so
 * a force push compares before...after and still sees only the new commits.
 * Commits page through; the file list is GitHub's "up to 300 changed files
 * for the entire comparison", which the caller treats as possibly cut short.
 */
import type { InstallationOctokit } from "../jobs/types.js";
import { statusOf } from "./issues.js";
import { toChangedFile, type ChangedFile } from "./diff-entry.js";
import { pagesOf } from "./pages.js";

/** GitHub's documented ceiling on compare's file list. */
export const COMPARE_FILE_CAP = 300;

export interface CompareCommit {
  sha: string;
  parents: number;
  author: string;
  email?: string;
  date: string;
}

/** A commit as compare and the single-commit API both list it. */
interface RawCommit {
  sha: string;
  parents: readonly unknown[];
  /** GitHub's account for the author; empty or null when it knows none. */
  author: { login: string } | Record<string, never> | null;
  commit: {
    author: { name?: string | undefined; email?: string | undefined; date?: string | undefined } | null;
    committer: { date?: string | undefined } | null;
  };
}

/** Who made a commit and when: GitHub's login when it knows the author, else the name in the commit. */
export function toCompareCommit(commit: RawCommit): CompareCommit {
  return {
    sha: commit.sha,
    parents: commit.parents.length,
    author: commit.author?.login ?? commit.commit.author?.name ?? "unknown",
    ...(commit.commit.author?.email ? { email: commit.commit.author.email } : {}),
    date: commit.commit.author?.date ?? commit.commit.committer?.date ?? "",
  };
}

export interface Comparison {
  commits: CompareCommit[];
  totalCommits: number;
  files: ChangedFile[];
  /** True when the file list may have been cut at GitHub's cap. */
  filesMayBeCapped: boolean;
}

export interface RepoCoords {
  owner: string;
  repo: string;
}

/** undefined when GitHub answers 404 (a ref or commit it no longer has). */
export async function compareCommits(
  octokit: InstallationOctokit,
  repo: RepoCoords,
  base: string,
  head: string,
): Promise<Comparison | undefined> {
  const commits: CompareCommit[] = [];
  const files = new Map<string, ChangedFile>();
  let totalCommits = 0;
  try {
    const pages = pagesOf((page) =>
      octokit.rest.repos.compareCommitsWithBasehead({ owner: repo.owner, repo: repo.repo, basehead: `${base}...${head}`, per_page: 100, page }),
    );
    for await (const data of pages) {
      totalCommits = data.total_commits;
      for (const commit of data.commits) commits.push(toCompareCommit(commit));
      // Files come on the first page; should a later page repeat or extend them, keep one per path.
      for (const entry of data.files ?? []) files.set(entry.filename, toChangedFile(entry));
    }
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  return { commits, totalCommits, files: [...files.values()], filesMayBeCapped: files.size === COMPARE_FILE_CAP };
}
