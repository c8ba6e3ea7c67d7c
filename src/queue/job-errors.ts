import { UnrecoverableError } from "bullmq";
import type { Logger } from "pino";
import { classifyError } from "./classify-error.js";
import { RetryLaterError } from "./errors.js";
import { scrubKeys } from "./job-identity.js";

/**
 * `log` should already be bound to the job (its delivery id among others).
 * Turn whatever a processor threw into what BullMQ should store and do:
 * UnrecoverableError for permanent failures (no more attempts), otherwise an
 * error carrying the wait the backoff strategy will use. BullMQ writes the
 * message and stack into Redis, so both are rebuilt from scrubbed text and
 * never carry the original error's extra properties (Octokit attaches the
 * request, @octokit/webhooks the whole event).
 */
export function toJobError(error: unknown, log: Logger): Error {
  const classification = classifyError(error);
  const original = error instanceof Error ? error : new Error(String(error));
  const message = scrubKeys(`${classification.reason}: ${original.message}`).slice(0, 500);
  const frames = (original.stack ?? "").split("\n").filter((line) => line.startsWith("    at ")).slice(0, 10);
  const fields = { status: classification.status, reason: classification.reason };

  let result: Error;
  if (classification.kind === "permanent") {
    log.error({ ...fields, error: message }, "job failed permanently; not retrying");
    result = new UnrecoverableError(message);
  } else {
    log.warn({ ...fields, retryAfterMs: classification.retryAfterMs, error: message }, "job failed; will retry");
    result = classification.retryAfterMs === undefined ? new Error(message) : new RetryLaterError(message, classification.retryAfterMs);
  }
  result.stack = [`${result.name}: ${message}`, ...frames.map(scrubKeys)].join("\n");
  return result;
}
