import type { JobName } from "../jobs/types.js";

/*
 * Separate queues so that slow, outbound rotation calls never hold up scans,
 * and the backfill of a new installation's repositories (and history scans)
 * never delays a live push or pull request: live scans have their own queue
 * and workers, whatever the backfill's length. Alerts to responders and the
 * installation report ("notify") wait on outside endpoints and retry on their
 * own schedule, so they have a queue too. BullMQ stores each queue under
 * "<prefix>:<queue>:..."; neither part may contain ":".
 */
export const QUEUE_NAMES = ["scan", "rotation", "backfill", "notify"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export const DEFAULT_PREFIX = "slg";

/** Jobs that talk to Stripe or the operator's rotation handler; everything else is a scan. */
const ROTATION_JOBS: ReadonlySet<string> = new Set(["rotate-key", "verify-key"]);

/** Bulk work started by an installation or a person, never by a live push or pull request. */
const BACKFILL_JOBS: ReadonlySet<string> = new Set(["backfill-installation", "backfill-repo", "scan-history-repo"]);

/** Alerts to responders' channels and the report issue: outbound and retried, never in a scan's way. */
const NOTIFY_JOBS: ReadonlySet<string> = new Set(["send-alert", "publish-report"]);

export function queueFor(name: JobName): QueueName {
  if (BACKFILL_JOBS.has(name)) return "backfill";
  if (NOTIFY_JOBS.has(name)) return "notify";
  return ROTATION_JOBS.has(name) ? "rotation" : "scan";
}

export function assertValidPrefix(prefix: string): string {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(prefix)) {
    throw new Error(`queue prefix must be 1-64 characters of A-Z a-z 0-9 _ . - (got ${JSON.stringify(prefix)})`);
  }
  return prefix;
}

/** Our own keys live beside BullMQ's, under the same prefix, so one prefix scan finds everything we store. */
export function ownKey(prefix: string, ...parts: string[]): string {
  return [prefix, "slg", ...parts].join(":");
}
