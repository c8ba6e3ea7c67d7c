/*
 * The installation report's issue in the owner's `.github` repository: found
 * again by its hidden marker (on an issue an App opened, never a copy),
 * created once and pinned, then edited in place. Pinning uses GraphQL's
 * pinIssue; GitHub allows three pinned issues per repository, so a refusal
 * is reported and the issue stays, unpinned.
 */
import type { InstallationOctokit } from "../jobs/types.js";
import { REPORT_MARKER } from "../report/render.js";
import { ensureLabels, type LabelSpec } from "./labels.js";
import { statusOf, type RepoCoords } from "./issues.js";

export const REPORT_LABEL: LabelSpec = {
  name: "stripe-leak-guard-report",
  color: "5319e7",
  description: "The Stripe leak report stripe-leak-guard keeps up to date; keep it so the App finds this issue",
};

const GENERATED = /<!-- stripe-leak-guard:report-generated (\d{4}-\d\d-\d\dT[\d:.]+Z) -->/;

export interface ReportIssue {
  number: number;
  nodeId: string;
  state: "open" | "closed";
  title: string;
  body: string;
  /** When the body was generated (ms since the epoch), from its hidden marker. */
  generatedAt?: number;
}

export type RepoVisibility = "public" | "private" | "internal" | "missing";

export function generatedMarker(at: Date): string {
  return `<!-- stripe-leak-guard:report-generated ${at.toISOString()} -->`;
}

/** The issue body: the markers first (hidden), then the report. */
export function reportIssueBody(markdown: string, generatedAt: Date): string {
  return `${REPORT_MARKER}\n${generatedMarker(generatedAt)}\n\n${markdown}`;
}

export async function repoVisibility(octokit: InstallationOctokit, repo: RepoCoords): Promise<RepoVisibility> {
  try {
    const { data } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.repo });
    if (data.visibility === "internal") return "internal";
    return data.private ? "private" : "public";
  } catch (error) {
    if (statusOf(error) === 404 || statusOf(error) === 403) return "missing";
    throw error;
  }
}

export async function findReportIssue(octokit: InstallationOctokit, repo: RepoCoords): Promise<ReportIssue | undefined> {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner: repo.owner,
    repo: repo.repo,
    state: "all",
    labels: REPORT_LABEL.name,
    per_page: 100,
  });
  const mine = issues
    .filter((issue) => !issue.pull_request && issue.user?.type === "Bot" && (issue.body ?? "").startsWith(REPORT_MARKER))
    .sort((a, b) => (a.state === b.state ? a.number - b.number : a.state === "open" ? -1 : 1));
  const issue = mine[0];
  if (!issue) return undefined;
  const body = issue.body ?? "";
  const generated = GENERATED.exec(body)?.[1];
  return {
    number: issue.number,
    nodeId: issue.node_id,
    state: issue.state === "closed" ? "closed" : "open",
    title: issue.title,
    body,
    ...(generated ? { generatedAt: Date.parse(generated) } : {}),
  };
}

export async function createReportIssue(octokit: InstallationOctokit, repo: RepoCoords, title: string, body: string): Promise<ReportIssue> {
  try {
    await ensureLabels(octokit, repo, [REPORT_LABEL]);
  } catch {
    // Colour and description are cosmetic: GitHub creates a missing label itself when the issue uses it.
  }
  // One attempt: a retried create could leave two; the next run finds whichever landed by its marker.
  const { data } = await octokit.rest.issues.create({ owner: repo.owner, repo: repo.repo, title, body, labels: [REPORT_LABEL.name], request: { retries: 0 } });
  return { number: data.number, nodeId: data.node_id, state: "open", title, body };
}

export async function updateReportIssue(octokit: InstallationOctokit, repo: RepoCoords, issueNumber: number, title: string, body: string): Promise<void> {
  await octokit.rest.issues.update({ owner: repo.owner, repo: repo.repo, issue_number: issueNumber, title, body });
}

/** Undefined when pinned; otherwise GitHub's reason, for the log. */
export async function pinIssue(octokit: InstallationOctokit, nodeId: string): Promise<string | undefined> {
  try {
    await octokit.graphql("mutation($issueId: ID!) { pinIssue(input: { issueId: $issueId }) { issue { id } } }", { issueId: nodeId });
    return undefined;
  } catch (error) {
    const errors = (error as { errors?: { message?: string }[] }).errors;
    return errors?.[0]?.message ?? (error instanceof Error ? error.message : "unknown error");
  }
}
