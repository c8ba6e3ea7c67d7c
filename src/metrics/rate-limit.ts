import type { Metrics } from "./metrics.js";

interface HookableOctokit {
  hook: {
    after(name: "request", hook: (response: { headers: Record<string, unknown> }) => void): void;
    error(name: "request", hook: (error: unknown) => never | Promise<never>): void;
  };
}

/** Reads x-ratelimit-remaining from headers of any shape; undefined when absent or not a number. */
export function remainingFromHeaders(headers: Record<string, unknown> | undefined): number | undefined {
  const raw = headers?.["x-ratelimit-remaining"];
  const value = typeof raw === "string" || typeof raw === "number" ? Number(raw) : Number.NaN;
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Records the rate-limit headroom after every response an Octokit receives,
 * errors included (a 403 rate-limited response carries the header too).
 * Call once per Octokit, where it is built for an installation.
 */
export function observeRateLimit(octokit: HookableOctokit, installation: number | "app", metrics: Metrics): void {
  const record = (headers: Record<string, unknown> | undefined) => {
    const remaining = remainingFromHeaders(headers);
    if (remaining !== undefined) metrics.rateLimitRemaining(installation, remaining);
  };
  octokit.hook.after("request", (response) => record(response.headers));
  octokit.hook.error("request", (error) => {
    record((error as { response?: { headers?: Record<string, unknown> } }).response?.headers);
    throw error;
  });
}
