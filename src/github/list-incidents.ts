/*
 * Reads for the installation report: a repository's incident issues (open
 * and closed) with the labels and dates the report needs, one request per
 * 100 incidents; the repositories come from installation-repos.ts. Only
 * issues an App opened count, as in src/jobs/incidents.ts: a copied marker
 * must not add or hide an incident.
 */
import { INCIDENT_TRACKING_LABEL } from "../jobs/incidents-labels.js";
import type { InstallationOctokit } from "../jobs/types.js";

export interface IncidentIssueRow {
  number: number;
  state: "open" | "closed";
  url: string;
  body: string;
  labels: string[];
  createdAt: string;
  closedAt?: string;
  byBot: boolean;
}

export async function listIncidentIssues(octokit: InstallationOctokit, repo: { owner: string; repo: string }): Promise<IncidentIssueRow[]> {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner: repo.owner,
    repo: repo.repo,
    state: "all",
    labels: INCIDENT_TRACKING_LABEL.name,
    per_page: 100,
  });
  return issues
    .filter((issue) => !issue.pull_request)
    .map((issue) => ({
      number: issue.number,
      state: issue.state === "closed" ? "closed" : "open",
      url: issue.html_url,
      body: issue.body ?? "",
      labels: issue.labels.map((label) => (typeof label === "string" ? label : (label.name ?? ""))).filter((name) => name !== ""),
      createdAt: issue.created_at,
      ...(issue.closed_at ? { closedAt: issue.closed_at } : {}),
      byBot: issue.user?.type === "Bot",
    }));
}
