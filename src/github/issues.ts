/*
 * The App's issue and issue-comment calls. Thin, typed wrappers: the incident
 * logic (src/jobs/incidents.ts) decides what to do, this file only talks.
 *
 * Writes that create content (an issue, a comment) go out with plugin-retry
 * turned off for that one request: a POST that got a 5xx may have succeeded,
 * and retrying it blindly makes a duplicate. The caller looks again and
 * decides (see isRetryableWriteError).
 */
import type { InstallationOctokit } from "../jobs/types.js";

export interface RepoCoords {
  owner: string;
  repo: string;
}

export interface IssueSnapshot {
  number: number;
  state: "open" | "closed";
  body: string;
  /** Opened by a GitHub App (as the App's own issues are), not by a person copying a marker. */
  byBot: boolean;
}

export interface NewIssue {
  title: string;
  body: string;
  labels: readonly string[];
  assignees: readonly string[];
}

const NO_RETRY = { retries: 0 } as const;

function snapshot(issue: { number: number; state: string; body?: string | null; user: { type: string } | null }): IssueSnapshot {
  return { number: issue.number, state: issue.state === "closed" ? "closed" : "open", body: issue.body ?? "", byBot: issue.user?.type === "Bot" };
}

/** Every issue (open and closed, never a pull request) that carries `label`, across all pages. */
export async function listIssuesWithLabel(octokit: InstallationOctokit, repo: RepoCoords, label: string): Promise<IssueSnapshot[]> {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner: repo.owner,
    repo: repo.repo,
    state: "all",
    labels: label,
    per_page: 100,
  });
  return issues.filter((issue) => !issue.pull_request).map(snapshot);
}

/** One issue, or undefined when it was deleted, transferred away, is a pull request or never existed. */
export async function getIssue(octokit: InstallationOctokit, repo: RepoCoords, issueNumber: number): Promise<IssueSnapshot | undefined> {
  try {
    const { data } = await octokit.rest.issues.get({ owner: repo.owner, repo: repo.repo, issue_number: issueNumber });
    // A transferred issue answers through a redirect from its new repository: it is no longer this repository's.
    const home = `/repos/${repo.owner}/${repo.repo}`.toLowerCase();
    if (data.pull_request || !data.repository_url.toLowerCase().endsWith(home)) return undefined;
    return snapshot(data);
  } catch (error) {
    if (statusOf(error) === 404 || statusOf(error) === 410) return undefined;
    throw error;
  }
}

/** Creates the issue with exactly one attempt; see the file comment. */
export async function createIssue(octokit: InstallationOctokit, repo: RepoCoords, issue: NewIssue): Promise<IssueSnapshot> {
  const { data } = await octokit.rest.issues.create({
    owner: repo.owner,
    repo: repo.repo,
    title: issue.title,
    body: issue.body,
    labels: [...issue.labels],
    ...(issue.assignees.length > 0 ? { assignees: [...issue.assignees] } : {}),
    request: NO_RETRY,
  });
  return snapshot(data);
}

export async function reopenIssue(octokit: InstallationOctokit, repo: RepoCoords, issueNumber: number): Promise<void> {
  // Idempotent (setting "open" twice is harmless), so plugin-retry may retry it.
  await octokit.rest.issues.update({ owner: repo.owner, repo: repo.repo, issue_number: issueNumber, state: "open" });
}

/** Bodies of the issue's comments, oldest first; with `botsOnly`, only those written by an App. */
export async function listIssueCommentBodies(
  octokit: InstallationOctokit,
  repo: RepoCoords,
  issueNumber: number,
  options: { botsOnly?: boolean } = {},
): Promise<string[]> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: repo.owner,
    repo: repo.repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  return comments.filter((comment) => !options.botsOnly || comment.user?.type === "Bot").map((comment) => comment.body ?? "");
}

/** Posts a comment with exactly one attempt; see the file comment. */
export async function createIssueComment(octokit: InstallationOctokit, repo: RepoCoords, issueNumber: number, body: string): Promise<void> {
  await octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.repo, issue_number: issueNumber, body, request: NO_RETRY });
}

export function statusOf(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "status" in error && typeof error.status === "number") return error.status;
  return undefined;
}

/**
 * A write that may or may not have happened: a 5xx, or a network failure or
 * timeout (which @octokit/request reports as a RequestError with status 500).
 */
export function isRetryableWriteError(error: unknown): boolean {
  const status = statusOf(error);
  return status !== undefined && status >= 500;
}

/** A 422 that names the assignees: a login that cannot be assigned in this repository. */
export function isInvalidAssigneeError(error: unknown): boolean {
  if (statusOf(error) !== 422) return false;
  const data = (error as { response?: { data?: unknown } }).response?.data;
  return JSON.stringify(data ?? "").includes("assignee");
}
