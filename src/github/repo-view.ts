/*
 * Where a repository lives, for permalinks. The payload's html_url is the
 * truth (it names the GHES host); when a job was built without it, derive the
 * web root from the API root the installation's Octokit talks to, so GHES
 * links never point at github.com.
 */
import type { RepoView } from "../render/types.js";

export function webRootFromApiUrl(apiBaseUrl: string): string {
  const url = new URL(apiBaseUrl);
  if (url.hostname === "api.github.com") return `${url.protocol}//github.com`;
  // GHES: https://ghe.example.com/api/v3 -> https://ghe.example.com
  const path = url.pathname.replace(/\/api\/v3\/?$/, "").replace(/\/+$/, "");
  return `${url.protocol}//${url.host}${path}`;
}

export function repoView(repo: { owner: string; repo: string; htmlUrl?: string | undefined }, apiBaseUrl: string): RepoView {
  return {
    owner: repo.owner,
    repo: repo.repo,
    htmlUrl: repo.htmlUrl ?? `${webRootFromApiUrl(apiBaseUrl)}/${repo.owner}/${repo.repo}`,
  };
}
