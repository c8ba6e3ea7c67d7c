/*
 * The pull request's summary comment (one per PR, found again by its marker
 * and edited in place) and its inline review comments (one per fingerprint,
 * path and line, found again by their markers).
 */
import type { InstallationOctokit } from "../jobs/types.js";
import { parseInlineMarker, SUMMARY_MARKER } from "../render/index.js";
import type { RepoCoords } from "./compare.js";

export type SummaryWrite = { action: "created" | "updated" | "unchanged"; commentId: number };

/** The App's summary comment on this pull request, if it wrote one. */
export async function findSummaryComment(
  octokit: InstallationOctokit,
  repo: RepoCoords,
  pullNumber: number,
): Promise<{ id: number; body: string } | undefined> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: repo.owner,
    repo: repo.repo,
    issue_number: pullNumber,
    per_page: 100,
  });
  const found = comments.find((comment) => comment.body?.includes(SUMMARY_MARKER));
  return found ? { id: found.id, body: found.body ?? "" } : undefined;
}

export async function upsertSummaryComment(
  octokit: InstallationOctokit,
  repo: RepoCoords,
  pullNumber: number,
  body: string,
): Promise<SummaryWrite> {
  const existing = await findSummaryComment(octokit, repo, pullNumber);
  if (existing) {
    if (existing.body === body) return { action: "unchanged", commentId: existing.id };
    await octokit.rest.issues.updateComment({ owner: repo.owner, repo: repo.repo, comment_id: existing.id, body });
    return { action: "updated", commentId: existing.id };
  }
  // One attempt only: a POST that got a 5xx may have landed, and the next delivery finds it by its marker.
  const { data } = await octokit.rest.issues.createComment({
    owner: repo.owner,
    repo: repo.repo,
    issue_number: pullNumber,
    body,
    request: { retries: 0 },
  });
  return { action: "created", commentId: data.id };
}

export function inlineKey(fingerprint: string, path: string, line: number): string {
  return `${fingerprint}\0${line}\0${path}`;
}

/** Keys (see inlineKey) of every inline comment the App already left on this pull request. */
export async function existingInlineComments(octokit: InstallationOctokit, repo: RepoCoords, pullNumber: number): Promise<Set<string>> {
  const comments = await octokit.paginate(octokit.rest.pulls.listReviewComments, {
    owner: repo.owner,
    repo: repo.repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  const keys = new Set<string>();
  for (const comment of comments) {
    const marker = parseInlineMarker(comment.body);
    if (marker) keys.add(inlineKey(marker.fingerprint, marker.path, marker.line));
  }
  return keys;
}

export async function createInlineComment(
  octokit: InstallationOctokit,
  repo: RepoCoords,
  pull: { number: number; headSha: string },
  at: { path: string; line: number },
  body: string,
): Promise<void> {
  await octokit.rest.pulls.createReviewComment({
    owner: repo.owner,
    repo: repo.repo,
    pull_number: pull.number,
    commit_id: pull.headSha,
    path: at.path,
    line: at.line,
    side: "RIGHT",
    body,
    request: { retries: 0 },
  });
}
