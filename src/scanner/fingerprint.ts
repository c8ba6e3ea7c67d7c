import { createHmac } from "node:crypto";

/** Keyed so that a public incident cannot confirm a guessed key; of the value alone so it survives rebase and moves. */
export function fingerprintKey(key: string, pepper: string): string {
  return createHmac("sha256", pepper).update(key, "utf8").digest("hex");
}
