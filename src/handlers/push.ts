/*
 * push -> "scan-push" job. Thin on purpose: no GitHub calls here, so a branch
 * deletion or a tag costs nothing and the webhook is answered at once when a
 * queue runs the job.
 */
import type { Context } from "probot";
import { MAX_COMMITS_PER_SCAN } from "../jobs/scan-history.js";
import type { Dispatcher, PushJob } from "../jobs/types.js";

type PushPayload = Context<"push">["payload"];
type PushCommit = Pick<PushPayload["commits"][number], "id" | "added" | "modified" | "removed">;

const ZERO_SHA = /^0{40}$/;

/** The job for a push, or the reason there is nothing to scan. */
export function pushJobFrom(payload: PushPayload, deliveryId: string): PushJob | { skip: string } {
  if (payload.deleted || ZERO_SHA.test(payload.after)) return { skip: "branch deleted" };
  if (!payload.ref.startsWith("refs/heads/")) return { skip: "not a branch" };
  if (payload.before === payload.after) return { skip: "nothing new" };
  const installationId = payload.installation?.id;
  if (installationId === undefined) return { skip: "no installation in the payload" };
  return {
    installationId,
    owner: payload.repository.owner?.login ?? payload.repository.full_name.split("/")[0] ?? "",
    repo: payload.repository.name,
    repoId: payload.repository.id,
    htmlUrl: payload.repository.html_url,
    deliveryId,
    ref: payload.ref,
    before: payload.before,
    after: payload.after,
    created: payload.created,
    forced: payload.forced,
    defaultBranch: payload.repository.default_branch,
    pusher: payload.sender?.login ?? payload.pusher.name,
    ...rescanFields(commitsToRescan(payload.commits, payload.after)),
  };
}

/**
 * The push's commits whose additions the net diff may not show. A file
 * changed by one commit only shows that commit's whole change in the net
 * diff; a file changed by two or more may hide what one of them added (a key
 * added, then removed). So a commit that added to (added or modified) a file
 * another commit also changed is read on its own. Not the head: what it adds
 * is still there at the head, so in the net diff. Nor a commit that only
 * removed such a file: it added nothing. This needs no commit order. Oldest
 * first, as the payload lists them; the newest are kept.
 */
export function commitsToRescan(commits: readonly PushCommit[], head: string, limit = MAX_COMMITS_PER_SCAN): { shas: string[]; skipped: number } {
  const touchedBy = new Map<string, Set<string>>();
  for (const commit of commits) {
    for (const path of [...(commit.added ?? []), ...(commit.modified ?? []), ...(commit.removed ?? [])]) {
      const ids = touchedBy.get(path) ?? new Set<string>();
      ids.add(commit.id);
      touchedBy.set(path, ids);
    }
  }
  const shared = (path: string): boolean => (touchedBy.get(path)?.size ?? 0) >= 2;
  const ordered = [
    ...new Set(
      commits.filter((commit) => commit.id !== head && [...(commit.added ?? []), ...(commit.modified ?? [])].some(shared)).map((commit) => commit.id),
    ),
  ];
  const shas = ordered.slice(Math.max(0, ordered.length - limit));
  return { shas, skipped: ordered.length - shas.length };
}

function rescanFields(rescan: { shas: string[]; skipped: number }): Pick<PushJob, "rescanCommits" | "rescanSkipped"> {
  return {
    ...(rescan.shas.length > 0 ? { rescanCommits: rescan.shas } : {}),
    ...(rescan.skipped > 0 ? { rescanSkipped: rescan.skipped } : {}),
  };
}

export async function handlePush(context: Context<"push">, dispatcher: Dispatcher): Promise<void> {
  const job = pushJobFrom(context.payload, context.id);
  if ("skip" in job) {
    context.log.debug({ ref: context.payload.ref, reason: job.skip }, "push not scanned");
    return;
  }
  await dispatcher.dispatch("scan-push", job);
}
