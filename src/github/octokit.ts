/*
 * Probot's Octokit with one change: a secondary rate limit is retried (after
 * GitHub's retry-after, or plugin-throttling's 60 s fallback), at most
 * SECONDARY_LIMIT_RETRIES times. Probot's own setting only logs it, which
 * would drop a scan's check run or comment on the floor.
 *
 * The override is a defaults *function* because Probot applies its own
 * throttle options on top of any plain defaults object.
 *
 * Second change: Probot hands the App auth strategy a `request` without the
 * GitHub Enterprise Server baseUrl. API calls are unaffected (the auth hook
 * uses the Octokit's own request), but a direct
 * `octokit.auth({ type: "installation" })`, which the history scan needs for
 * its clone token, would ask api.github.com. The auth strategy's request is
 * given the Octokit's baseUrl here.
 */
import { ProbotOctokit } from "probot";

export const SECONDARY_LIMIT_RETRIES = 3;

interface ThrottleLog {
  warn: (message: string) => void;
}

type ThrottleOptions = Record<string, unknown>;

interface AuthRequest {
  defaults: (options: { baseUrl: string }) => AuthRequest;
}

type OctokitOptions = { throttle?: ThrottleOptions; baseUrl?: string; auth?: unknown } & Record<string, unknown>;

function authOnBaseUrl(options: OctokitOptions): unknown {
  const auth = options.auth;
  if (!options.baseUrl || typeof auth !== "object" || auth === null || !("request" in auth)) return auth;
  const request = (auth as { request?: AuthRequest }).request;
  return request ? { ...auth, request: request.defaults({ baseUrl: options.baseUrl }) } : auth;
}

export const AppOctokit = ProbotOctokit.defaults((options: OctokitOptions) => ({
  ...options,
  auth: authOnBaseUrl(options),
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
