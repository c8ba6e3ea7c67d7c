/*
 * One idempotency id per (incident, event): the same on every retry and on
 * every channel, so a receiver that keeps the ids it has seen acts once.
 * Built from the numeric repository id and the keyed fingerprint, it says
 * nothing about the key.
 */
import { createHash } from "node:crypto";
import type { AlertEvent } from "../jobs/types.js";

export const EVENT_TYPES: Record<AlertEvent, string> = {
  opened: "incident.opened",
  reopened: "incident.reopened",
  verification: "incident.verification_changed",
  rotation: "incident.rotation_changed",
};

export function alertIdempotencyId(event: { repoId: number; fingerprint: string; event: AlertEvent; eventKey: string }): string {
  return createHash("sha256")
    .update(`stripe-leak-guard/alert\0${event.repoId}\0${event.fingerprint}\0${event.event}\0${event.eventKey}`, "utf8")
    .digest("hex")
    .slice(0, 40);
}

/** Which reopening: the places the key was seen again, so a redelivered push gives the same key. */
export function reopenEventKey(locations: readonly { commitSha: string; path: string; line: number }[]): string {
  const ids = locations.map((location) => `${location.commitSha}\0${location.path}\0${location.line}`).sort();
  return createHash("sha256").update(ids.join("\n"), "utf8").digest("hex").slice(0, 16);
}
