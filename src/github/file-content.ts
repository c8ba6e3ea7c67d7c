/*
 * A file's text at a given commit, for re-reading a key that the App never
 * stored. The contents API covers files up to 1 MB; above that it returns no
 * content and the git blob API (up to 100 MB) is used instead.
 */
import type { InstallationOctokit } from "../jobs/types.js";
import { statusOf, type RepoCoords } from "./issues.js";

export async function readFileAt(octokit: InstallationOctokit, repo: RepoCoords, path: string, ref: string): Promise<string | undefined> {
  let data: Awaited<ReturnType<InstallationOctokit["rest"]["repos"]["getContent"]>>["data"];
  try {
    ({ data } = await octokit.rest.repos.getContent({ owner: repo.owner, repo: repo.repo, path, ref }));
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  if (Array.isArray(data) || data.type !== "file") return undefined;
  if ("content" in data && data.content && data.encoding === "base64") return Buffer.from(data.content, "base64").toString("utf8");
  const blob = await octokit.rest.git.getBlob({ owner: repo.owner, repo: repo.repo, file_sha: data.sha });
  return blob.data.encoding === "base64" ? Buffer.from(blob.data.content, "base64").toString("utf8") : blob.data.content;
}
