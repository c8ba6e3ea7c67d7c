import { createHash } from "node:crypto";

/**
 * One id per incident, whatever triggered the call and however often it is
 * retried, so the handler can recognise a repeat. Derived from the numeric
 * repository id (stable across renames) and the keyed fingerprint, so it
 * reveals nothing about the key.
 */
export function rotationIdempotencyId(repoId: number, fingerprint: string): string {
  return createHash("sha256").update(`stripe-leak-guard/rotation\0${repoId}\0${fingerprint}`, "utf8").digest("hex").slice(0, 40);
}
