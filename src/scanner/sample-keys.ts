import { createHash } from "node:crypto";

/*
 * Keys Stripe printed in its public API documentation for years, so they
 * turn up in countless tutorials. They are still reported (as test keys) but
 * carry a note. Only SHA-256 digests are stored: the keys themselves must not
 * be committed anywhere in this repository.
 */
const DOCUMENTED_SAMPLES = new Map<string, string>([
  // Secret and publishable test keys from Stripe's API reference (body beginning 4eC39HqLyjWDarjt, and its pk twin).
  ["2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326", "Stripe's publicly documented sample test key (from its API reference); it belongs to Stripe's demo account."],
  ["b1471f544ceeea31333bde7e1ecbaad6eac0d4a749412ad29bd66ef895b81c6b", "Stripe's publicly documented sample publishable key (from its API reference)."],
  // The pair the same documentation showed before that.
  ["f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397", "An older sample test key from Stripe's public documentation."],
  ["5895b89c8fb33402a5bfc23aad5aaf863fbb438a51e1a0bb02b0ce618c8fdf9d", "An older sample publishable key from Stripe's public documentation."],
]);

export function sha256Hex(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** The note for a documented sample key, or undefined. Cheap enough for every finding: findings are rare. */
export function sampleKeyNote(key: string, samples: ReadonlyMap<string, string> = DOCUMENTED_SAMPLES): string | undefined {
  if (key.length > 40) return undefined;
  return samples.get(sha256Hex(key));
}
