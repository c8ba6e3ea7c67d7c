import type { ErrorClass } from "./classify-error.js";

export interface BackoffPolicy {
  /** First retry waits about this long; each later one doubles. */
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 10 * 60_000 };

/**
 * Exponential with jitter, or the server's own wait plus a little jitter (never
 * less than it asked), so that many workers do not retry in lockstep.
 */
export function retryDelayMs(
  attemptsMade: number,
  classification: ErrorClass,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  if (classification.kind === "transient" && classification.retryAfterMs !== undefined) {
    return Math.round(classification.retryAfterMs * (1 + 0.1 * random()));
  }
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
