/*
 * push -> "scan-push" job. Thin on purpose: no GitHub calls here, so a branch
 * deletion or a tag costs nothing and the webhook is answered at once when a
 * queue runs the job.
 */
import type { Context } from "probot";
import type { Dispatcher, PushJob } from "../jobs/types.js";

type PushPayload = Context<"push">["payload"];

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
