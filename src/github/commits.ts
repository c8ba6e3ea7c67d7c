/*
 * Single commits and a pull request's commit list. A commit's own file list
 * pages past compare's 300 files, up to GitHub's 3,000.
 */
import type { InstallationOctokit } from "../jobs/types.js";
import { toCompareCommit, type CompareCommit, type RepoCoords } from "./compare.js";
import { toChangedFile, type ChangedFile } from "./diff-entry.js";
import { pagesOf } from "./pages.js";

export const COMMIT_FILE_CAP = 3000;
/** GitHub lists at most this many commits for a pull request. */
export const PULL_COMMIT_CAP = 250;

export interface CommitDiff extends CompareCommit {
  files: ChangedFile[];
  filesMayBeCapped: boolean;
}

export async function getCommitDiff(octokit: InstallationOctokit, repo: RepoCoords, sha: string): Promise<CommitDiff> {
  const files = new Map<string, ChangedFile>();
  let head: CompareCommit | undefined;
  const pages = pagesOf((page) => octokit.rest.repos.getCommit({ owner: repo.owner, repo: repo.repo, ref: sha, per_page: 100, page }));
  for await (const data of pages) {
    head ??= toCompareCommit(data);
    for (const entry of data.files ?? []) files.set(entry.filename, toChangedFile(entry));
  }
  if (!head) throw new Error(`GitHub returned no data for commit ${sha}`);
  return { ...head, files: [...files.values()], filesMayBeCapped: files.size >= COMMIT_FILE_CAP };
}

export interface ListedCommit {
  sha: string;
  parents: number;
}

/** Oldest first, as GitHub lists them. */
export async function listPullCommits(octokit: InstallationOctokit, repo: RepoCoords, pullNumber: number): Promise<ListedCommit[]> {
  const commits = await octokit.paginate(octokit.rest.pulls.listCommits, {
    owner: repo.owner,
    repo: repo.repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  return commits.map((commit) => ({ sha: commit.sha, parents: commit.parents.length }));
}

/** The newest commits reachable from `sha`, newest first (for a repository's very first push). */
export async function listRecentCommits(octokit: InstallationOctokit, repo: RepoCoords, sha: string, limit: number): Promise<ListedCommit[]> {
  const { data } = await octokit.rest.repos.listCommits({ owner: repo.owner, repo: repo.repo, sha, per_page: Math.min(limit, 100) });
  return data.map((commit) => ({ sha: commit.sha, parents: commit.parents.length }));
}
