/*
 * The fingerprint pepper, read without loading zod: a pre-commit or CI scan
 * needs nothing else from the environment, and zod's import alone costs a
 * tenth of a second of start-up. envSchema (env.ts) uses the same constants,
 * and a test pins the two readings equal.
 */

/** The default pepper makes fingerprints comparable across installs; operators should set their own. */
export const DEFAULT_PEPPER = "stripe-leak-guard/v1";
export const MIN_PEPPER_LENGTH = 16;
export const PEPPER_TOO_SHORT = `STRIPE_LEAK_GUARD_PEPPER must be at least ${MIN_PEPPER_LENGTH} characters`;

export class EnvError extends Error {
  override name = "EnvError";
}

/** STRIPE_LEAK_GUARD_PEPPER, or the default when unset; a value that is too short throws as readEnv would. */
export function readPepper(source: Record<string, string | undefined>): string {
  const value = source["STRIPE_LEAK_GUARD_PEPPER"];
  if (value === undefined) return DEFAULT_PEPPER;
  if (value.length < MIN_PEPPER_LENGTH) throw new EnvError(`invalid environment:\n  STRIPE_LEAK_GUARD_PEPPER: ${PEPPER_TOO_SHORT}`);
  return value;
}
