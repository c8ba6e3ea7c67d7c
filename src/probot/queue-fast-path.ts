/*
 * Queue mode's shortcut for the busy events (push and the scanned
 * pull_request actions). Probot builds an installation Octokit and a Context
 * for every event; these two handlers only turn the payload into job data, so
 * after the signature is verified we call the same payload -> job functions
 * and the dispatcher directly. Every other event, and anything unusual (a bad
 * signature, a body that is not JSON), still goes through Probot unchanged.
 */
import type { Context } from "probot";
import type { Logger } from "pino";
import { pullRequestJobFrom, SCANNED_PULL_REQUEST_ACTIONS } from "../handlers/pull-request.js";
import { pushJobFrom } from "../handlers/push.js";
import type { Dispatcher } from "../jobs/types.js";

/** Dispatches a verified delivery; undefined when the event is not one it takes (Probot handles it). */
export type FastPath = (name: string, id: string, payload: unknown) => Promise<void> | undefined;

const SCANNED_ACTIONS = new Set<string>(SCANNED_PULL_REQUEST_ACTIONS.map((event) => event.slice("pull_request.".length)));

/** True for the events the fast path may take; cheap, checked before the body is verified. */
export function fastPathTakes(name: string): boolean {
  return name === "push" || name === "pull_request";
}

export function createQueueFastPath(dispatcher: Dispatcher, log: Logger): FastPath {
  return (name, id, payload) => {
    if (typeof payload !== "object" || payload === null) return undefined;
    if (name === "push") {
      const push = payload as Context<"push">["payload"];
      const job = pushJobFrom(push, id);
      if ("skip" in job) {
        log.debug({ deliveryId: id, event: name, ref: push.ref, reason: job.skip }, "push not scanned");
        return Promise.resolve();
      }
      return dispatcher.dispatch("scan-push", job);
    }
    if (name === "pull_request") {
      const action = (payload as { action?: unknown }).action;
      if (typeof action !== "string" || !SCANNED_ACTIONS.has(action)) return undefined;
      const job = pullRequestJobFrom(payload as Context<"pull_request.opened">["payload"], id);
      if ("skip" in job) {
        log.debug({ deliveryId: id, event: name, reason: job.skip }, "pull request not scanned");
        return Promise.resolve();
      }
      return dispatcher.dispatch("scan-pull-request", job);
    }
    return undefined;
  };
}
