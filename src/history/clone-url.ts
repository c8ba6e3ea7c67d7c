/*
 * Where to clone from: the web root of the GitHub the installation lives on,
 * derived from the API root Probot configured from GHE_HOST and GHE_PROTOCOL
 * (https://ghe.example.com/api/v3 -> https://ghe.example.com/owner/repo.git).
 */
import { webRootFromApiUrl } from "../github/repo-view.js";

export function cloneUrlFor(apiBaseUrl: string, owner: string, repo: string): string {
  return `${webRootFromApiUrl(apiBaseUrl)}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}.git`;
}
