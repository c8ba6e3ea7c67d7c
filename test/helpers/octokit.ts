/**
 * An installation-authenticated ProbotOctokit for nock tests: token auth (what
 * Probot hands a handler after exchanging the installation token), retry and
 * throttle off so every mocked response is seen exactly once, and a silent
 * logger unless the test passes its own (e.g. a trace-level capture for a
 * canary). nock 14 intercepts the native fetch that this Octokit uses.
 */
import { ProbotOctokit } from "probot";
import type { InstallationOctokit } from "../../src/jobs/types.js";

export const TEST_API = "https://api.github.com";

export interface TestOctokitLog {
  debug: (...args: unknown[]) => void;
  info: (...args: unknown[]) => void;
  warn: (...args: unknown[]) => void;
  error: (...args: unknown[]) => void;
}

export interface TestOctokitOptions {
  /** A GHES API root such as "https://ghe.example.com/api/v3"; default github.com. */
  baseUrl?: string;
  log?: TestOctokitLog;
  /** Opt back in for the few tests about rate limits and retries. */
  retry?: boolean;
  throttle?: boolean;
}

const silent: TestOctokitLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export function testOctokit(options: TestOctokitOptions = {}): InstallationOctokit {
  return new ProbotOctokit({
    auth: { token: "test-installation-token" },
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    log: options.log ?? silent,
    retry: { enabled: options.retry ?? false },
    throttle: options.throttle
      ? { enabled: true, retryAfterBaseValue: 1, fallbackSecondaryRateRetryAfter: 1 }
      : { enabled: false },
  });
}
