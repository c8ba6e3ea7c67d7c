import { createProbot, type Probot } from "probot";
import type { Logger } from "pino";
import { AppOctokit } from "../github/octokit.js";

/*
 * The Probot instance for the server and the workers, configured the way
 * Probot's own `run` does it: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH,
 * WEBHOOK_SECRET, WEBHOOK_PATH, GHE_HOST and GHE_PROTOCOL.
 *
 * REDIS_URL is ours, not Probot's: left to Probot it would switch Octokit's
 * throttling to Bottleneck clustering and fetch ioredis at run time through
 * npx. Writes are paced per installation by src/queue/pacing.ts instead.
 * AppOctokit (src/github/octokit.ts) retries secondary rate limits.
 */
export function createProbotFromEnv(env: NodeJS.ProcessEnv, log: Logger): Probot {
  return createProbot({ env, overrides: { redisConfig: undefined, log, Octokit: AppOctokit } });
}

/** True when the App can authenticate; without credentials the server offers Probot's setup flow. */
export function hasAppCredentials(env: NodeJS.ProcessEnv): boolean {
  const hasKey = Boolean(env.PRIVATE_KEY?.trim() || env.PRIVATE_KEY_PATH?.trim());
  return Boolean(env.APP_ID?.trim()) && hasKey;
}

export function webhookPathFrom(env: NodeJS.ProcessEnv): string {
  return env.WEBHOOK_PATH?.trim() || "/api/github/webhooks";
}
