/*
 * Probot's Octokit with one change: a secondary rate limit is retried (after
 * GitHub's retry-after, or plugin-throttling's 60 s fallback), at most
 * SECONDARY_LIMIT_RETRIES times. Probot's own setting only logs it, which
 * would drop a scan's check run or comment on the floor.
 *
 * The override is a defaults *function* because Probot applies its own
 * throttle options on top of any plain defaults object.
 */
import { ProbotOctokit } from "probot";

export const SECONDARY_LIMIT_RETRIES = 3;

interface ThrottleLog {
  warn: (message: string) => void;
}

type ThrottleOptions = Record<string, unknown>;

export const AppOctokit = ProbotOctokit.defaults((options: { throttle?: ThrottleOptions } & Record<string, unknown>) => ({
  ...options,
  throttle: {
    ...options.throttle,
    onSecondaryRateLimit: (retryAfter: number, request: { method: string; url: string }, octokit: { log: ThrottleLog }, retryCount: number) => {
      const retry = retryCount < SECONDARY_LIMIT_RETRIES;
      octokit.log.warn(
        `GitHub secondary rate limit on ${request.method} ${request.url}; ${retry ? `retrying in ${retryAfter} s (attempt ${retryCount + 1} of ${SECONDARY_LIMIT_RETRIES})` : "giving up"}`,
      );
      return retry;
    },
  },
}));
