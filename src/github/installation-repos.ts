/*
 * The repositories an installation can see: GET /installation/repositories,
 * 100 to a page (20 requests for 2,000 repositories). What backfill, history
 * scans and the installation report need of each.
 */
import type { InstallationOctokit } from "../jobs/types.js";

export interface InstallationRepo {
  id: number;
  owner: string;
  name: string;
  htmlUrl: string;
  /** Kilobytes as GitHub reports it; 0 for a repository without commits. */
  size: number;
  archived: boolean;
  private: boolean;
  /** Issues turned off: the App cannot have opened incidents here. */
  hasIssues: boolean;
}

export async function listInstallationRepos(octokit: InstallationOctokit): Promise<InstallationRepo[]> {
  const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
  return repos.map((repo) => ({
    id: repo.id,
    owner: repo.owner.login,
    name: repo.name,
    htmlUrl: repo.html_url,
    size: repo.size,
    archived: repo.archived,
    private: repo.private,
    hasIssues: repo.has_issues,
  }));
}

/** One repository, as the installation sees it (404 when the installation cannot). */
export async function getInstallationRepo(octokit: InstallationOctokit, owner: string, name: string): Promise<InstallationRepo> {
  const { data } = await octokit.rest.repos.get({ owner, repo: name });
  return {
    id: data.id,
    owner: data.owner.login,
    name: data.name,
    htmlUrl: data.html_url,
    size: data.size,
    archived: data.archived,
    private: data.private,
    hasIssues: data.has_issues,
  };
}
