import type { InstallationOctokit } from "../jobs/types.js";
import { statusOf, type RepoCoords } from "./issues.js";

/**
 * Whether `login` may run incident commands: write access or more (write,
 * maintain, admin). Someone who is not a collaborator at all gets a 404 from
 * GitHub, which simply means no.
 */
export async function hasWriteAccess(octokit: InstallationOctokit, repo: RepoCoords, login: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: repo.owner, repo: repo.repo, username: login });
    // `permission` folds maintain into write and triage into read; role_name keeps them apart.
    return data.permission === "admin" || data.permission === "write" || ["admin", "maintain", "write"].includes(data.role_name);
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}
