/*
 * `/stripe-leak-guard scan-history`, on any issue of the repository (not
 * only incidents): a full-history scan, for people with write access or
 * more. The scan runs as a job; the 👀 reaction says it was accepted and the
 * job's comment brings the result.
 */
import { commentOnIncident } from "../github/incident-comments.js";
import type { RepoCoords } from "../github/issues.js";
import { hasWriteAccess } from "../github/permissions.js";
import type { Dispatcher, InstallationOctokit, RepoRef } from "../jobs/types.js";
import { commandArguments } from "./parse.js";

export const SCAN_HISTORY_VERB = "scan-history";

/** True when the comment's command line, as parseCommand reads it, asks for a history scan. */
export function isScanHistoryCommand(body: string): boolean {
  return commandArguments(body)?.[0] === SCAN_HISTORY_VERB;
}

export interface ScanHistoryCommandInput {
  octokit: InstallationOctokit;
  dispatcher: Dispatcher;
  repo: RepoRef;
  issueNumber: number;
  comment: { id: number; login: string };
}

export async function runScanHistoryCommand(input: ScanHistoryCommandInput): Promise<"refused" | "dispatched"> {
  const { octokit, repo, comment } = input;
  const coords: RepoCoords = { owner: repo.owner, repo: repo.repo };
  if (!(await hasWriteAccess(octokit, coords, comment.login))) {
    await commentOnIncident(
      octokit,
      coords,
      input.issueNumber,
      `Sorry @${comment.login}, only people with write access to this repository can start a history scan. A maintainer can run it for you.`,
    );
    return "refused";
  }
  await input.dispatcher.dispatch("scan-history-repo", {
    installationId: repo.installationId,
    owner: repo.owner,
    repo: repo.repo,
    repoId: repo.repoId,
    ...(repo.htmlUrl ? { htmlUrl: repo.htmlUrl } : {}),
    issueNumber: input.issueNumber,
    requestId: `comment-${comment.id}`,
    requestedBy: comment.login,
  });
  await octokit.rest.reactions.createForIssueComment({ owner: repo.owner, repo: repo.repo, comment_id: comment.id, content: "eyes" });
  return "dispatched";
}
