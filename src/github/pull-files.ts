/*
 * A pull request's net diff, file by file. GitHub lists at most 3,000 files;
 * past that the caller reports the scan as incomplete.
 */
import type { InstallationOctokit } from "../jobs/types.js";
import type { RepoCoords } from "./compare.js";
import { toChangedFile, type ChangedFile } from "./diff-entry.js";

export const PULL_FILE_CAP = 3000;

export async function listPullFiles(
  octokit: InstallationOctokit,
  repo: RepoCoords,
  pullNumber: number,
): Promise<{ files: ChangedFile[]; filesMayBeCapped: boolean }> {
  const entries = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: repo.owner,
    repo: repo.repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  return { files: entries.map(toChangedFile), filesMayBeCapped: entries.length >= PULL_FILE_CAP };
}

/** The pull request's head sha right now, to tell whether a job is about an outdated push. */
export async function currentHeadSha(octokit: InstallationOctokit, repo: RepoCoords, pullNumber: number): Promise<string> {
  const { data } = await octokit.rest.pulls.get({ owner: repo.owner, repo: repo.repo, pull_number: pullNumber });
  return data.head.sha;
}
