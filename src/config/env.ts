import { z } from "zod";

/*
 * The operator's environment: the only source of settings that route secrets
 * (pepper, rotation endpoint and secret, sending the full key). Repo config can
 * never set any of these. Probot's own variables (APP_ID, PRIVATE_KEY,
 * WEBHOOK_SECRET, GHE_HOST, GHE_PROTOCOL, LOG_LEVEL, HOST, PORT) are read by
 * Probot and listed in docs/configuration.md.
 */

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

/** The default pepper makes fingerprints comparable across installs; operators should set their own. */
export const DEFAULT_PEPPER = "stripe-leak-guard/v1";

export const envSchema = z.object({
  STRIPE_LEAK_GUARD_PEPPER: z
    .string()
    .min(16, "STRIPE_LEAK_GUARD_PEPPER must be at least 16 characters")
    .optional()
    .describe("Key for the fingerprint HMAC. Set a long random value and keep it; changing it changes every fingerprint."),
  REDIS_URL: z
    .string()
    .url()
    .optional()
    .describe("Redis for BullMQ (redis://host:6379/0). Unset: the server runs every job in its own process."),
  STRIPE_VERIFY_KEYS: flag.describe("Check found keys with Stripe while they are in memory during the scan."),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

/** Parse the environment; invalid values throw one error listing every problem. */
export function readEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new EnvError(`invalid environment:\n${lines.join("\n")}`);
}

export function pepperFrom(env: Env): string {
  return env.STRIPE_LEAK_GUARD_PEPPER ?? DEFAULT_PEPPER;
}
