/*
 * pull_request (opened, synchronize, reopened) -> "scan-pull-request" job.
 * Ids and counts only; the processor reads everything else from GitHub.
 */
import type { Context } from "probot";
import type { Dispatcher, PullRequestJob } from "../jobs/types.js";

export const SCANNED_PULL_REQUEST_ACTIONS = ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"] as const;

type PullRequestContext = Context<(typeof SCANNED_PULL_REQUEST_ACTIONS)[number]>;
type PullRequestPayload = PullRequestContext["payload"];

export function pullRequestJobFrom(payload: PullRequestPayload, deliveryId: string): PullRequestJob | { skip: string } {
  const installationId = payload.installation?.id;
  if (installationId === undefined) return { skip: "no installation in the payload" };
  const pr = payload.pull_request;
  const headRepoId = pr.head.repo?.id;
  return {
    installationId,
    owner: payload.repository.owner.login,
    repo: payload.repository.name,
    repoId: payload.repository.id,
    htmlUrl: payload.repository.html_url,
    deliveryId,
    number: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    // A deleted fork has no head repo; treat it as a fork, the cautious choice.
    fromFork: headRepoId !== payload.repository.id,
    author: pr.user?.login ?? payload.sender.login,
    ...(payload.action === "synchronize" ? { before: payload.before } : {}),
    ...(typeof pr.commits === "number" ? { commits: pr.commits } : {}),
    ...(typeof pr.changed_files === "number" ? { changedFiles: pr.changed_files } : {}),
  };
}

export async function handlePullRequest(context: PullRequestContext, dispatcher: Dispatcher): Promise<void> {
  const job = pullRequestJobFrom(context.payload, context.id);
  if ("skip" in job) {
    context.log.debug({ reason: job.skip }, "pull request not scanned");
    return;
  }
  await dispatcher.dispatch("scan-pull-request", job);
}
