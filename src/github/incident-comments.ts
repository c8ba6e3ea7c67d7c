/*
 * The incident-issue calls of the verify, rotate and resolve paths: read the
 * issue and the App's own comments, comment, swap facet labels, close. Only
 * comments written by a bot count as the App's: a person could paste a
 * marker into a comment, and must not be able to fake "already rotated".
 */
import type { InstallationOctokit } from "../jobs/types.js";
import { createIssueComment, statusOf, type RepoCoords } from "./issues.js";
import { ensureLabels, type LabelCache, type LabelSpec } from "./labels.js";

export interface IncidentIssue {
  number: number;
  state: "open" | "closed";
  title: string;
  body: string;
  labels: string[];
}

export async function getIncidentIssue(octokit: InstallationOctokit, repo: RepoCoords, issueNumber: number): Promise<IncidentIssue | undefined> {
  try {
    const { data } = await octokit.rest.issues.get({ owner: repo.owner, repo: repo.repo, issue_number: issueNumber });
    if (data.pull_request) return undefined;
    return {
      number: data.number,
      state: data.state === "closed" ? "closed" : "open",
      title: data.title,
      body: data.body ?? "",
      labels: data.labels.map((label) => (typeof label === "string" ? label : (label.name ?? ""))).filter((name) => name !== ""),
    };
  } catch (error) {
    if (statusOf(error) === 404 || statusOf(error) === 410) return undefined;
    throw error;
  }
}

/** Bodies of the comments bots wrote on the issue, oldest first. */
export async function listAppCommentBodies(octokit: InstallationOctokit, repo: RepoCoords, issueNumber: number): Promise<string[]> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: repo.owner,
    repo: repo.repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  return comments.filter((comment) => comment.user?.type === "Bot").map((comment) => comment.body ?? "");
}

export async function commentOnIncident(octokit: InstallationOctokit, repo: RepoCoords, issueNumber: number, body: string): Promise<void> {
  await createIssueComment(octokit, repo, issueNumber, body);
}

/**
 * Puts `spec` on the issue and takes off every other label of the same facet
 * ("rotation: …", "key: …", "severity: …"), so the issue shows one current value.
 */
export async function setFacetLabel(
  octokit: InstallationOctokit,
  repo: RepoCoords,
  issue: Pick<IncidentIssue, "number" | "labels">,
  spec: LabelSpec,
  labelCache?: LabelCache,
): Promise<void> {
  const facet = facetOf(spec.name);
  const stale = issue.labels.filter((name) => name.toLowerCase() !== spec.name.toLowerCase() && facet !== undefined && facetOf(name) === facet);
  const present = issue.labels.some((name) => name.toLowerCase() === spec.name.toLowerCase());
  if (!present) {
    await ensureLabels(octokit, repo, [spec], labelCache);
    await octokit.rest.issues.addLabels({ owner: repo.owner, repo: repo.repo, issue_number: issue.number, labels: [spec.name] });
  }
  for (const name of stale) {
    try {
      await octokit.rest.issues.removeLabel({ owner: repo.owner, repo: repo.repo, issue_number: issue.number, name });
    } catch (error) {
      // Already gone (a person removed it meanwhile): that was the goal.
      if (statusOf(error) !== 404) throw error;
    }
  }
}

function facetOf(name: string): string | undefined {
  const index = name.indexOf(":");
  return index > 0 ? name.slice(0, index).trim().toLowerCase() : undefined;
}

export async function closeIncident(
  octokit: InstallationOctokit,
  repo: RepoCoords,
  issueNumber: number,
  reason: "completed" | "not_planned",
): Promise<void> {
  await octokit.rest.issues.update({ owner: repo.owner, repo: repo.repo, issue_number: issueNumber, state: "closed", state_reason: reason });
}
