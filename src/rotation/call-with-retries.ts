/*
 * A few quick attempts inside one job for 5xx, 429 and timeouts, with
 * exponential backoff and full jitter (and the handler's Retry-After when it
 * gives one). What still fails after them is handed back as "retry": the job
 * then fails and the queue tries again later with its own, longer backoff.
 */
import type { CallOutcome, RotationHandler, RotationRequest } from "./types.js";

export interface RetryOptions {
  attempts: number;
  baseDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Told about every attempt that will be retried. */
  onRetry?: (outcome: Extract<CallOutcome, { type: "retry" }>, attempt: number, delayMs: number) => void;
}

export interface CallResult {
  outcome: CallOutcome;
  attempts: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function callWithRetries(handler: RotationHandler, request: RotationRequest, options: RetryOptions): Promise<CallResult> {
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const attempts = Math.max(1, options.attempts);
  for (let attempt = 1; ; attempt++) {
    const outcome = await handler.call(request);
    if (outcome.type !== "retry" || attempt >= attempts) return { outcome, attempts: attempt };
    const backoff = options.baseDelayMs * 2 ** (attempt - 1);
    const delayMs = Math.max(outcome.retryAfterMs ?? 0, Math.round(backoff / 2 + (random() * backoff) / 2));
    options.onRetry?.(outcome, attempt, delayMs);
    await sleep(delayMs);
  }
}
