/*
 * Verification during a scan, while the keys are still in memory: each
 * distinct verifiable key is checked once, one at a time (a push rarely holds
 * more than a few, and Stripe rate-limits bursts). Findings that no longer
 * carry their key (copies) are skipped, never guessed at.
 */
import type { SightedFinding } from "../render/types.js";
import { revealSecret } from "../scanner/index.js";
import type { StripeApiOptions } from "./api-options.js";
import { checkKey, isVerifiableKind, type VerificationResult } from "./verify.js";

export async function verifySightings(sightings: readonly SightedFinding[], api: StripeApiOptions = {}): Promise<Map<string, VerificationResult>> {
  const results = new Map<string, VerificationResult>();
  for (const { finding } of sightings) {
    if (results.has(finding.fingerprint) || !isVerifiableKind(finding.kind)) continue;
    const key = revealSecret(finding);
    if (key === undefined) continue;
    results.set(finding.fingerprint, await checkKey(key, api));
  }
  return results;
}

/** The verdicts alone, as recordSightings (src/jobs/incidents.ts) takes them. */
export function verdictsOf(results: ReadonlyMap<string, VerificationResult>): Map<string, VerificationResult["verdict"]> {
  return new Map([...results].map(([fingerprint, result]) => [fingerprint, result.verdict]));
}
