import { UnrecoverableError } from "bullmq";
import { describe, expect, it } from "vitest";
import { classifyError, retryAfterOf, SECONDARY_LIMIT_DEFAULT_WAIT_MS } from "../../src/queue/classify-error.js";
import { RetryLaterError } from "../../src/queue/errors.js";

const NOW = Date.parse("2026-11-30T12:00:00Z");

/** The shape @octokit/request-error gives a failed response. */
function octokitError(status: number, message: string, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { name: "HttpError", status, response: { status, headers, url: "", data: {} } });
}

describe("classifyError", () => {
  it("retries GitHub 5xx with plain exponential backoff", () => {
    for (const status of [500, 502, 503, 504]) {
      expect(classifyError(octokitError(status, "Bad Gateway"), NOW)).toEqual({ kind: "transient", reason: `server error ${status}`, status });
    }
  });

  it("honours retry-after on a secondary rate limit", () => {
    const error = octokitError(403, "You have exceeded a secondary rate limit.", { "retry-after": "2" });
    expect(classifyError(error, NOW)).toMatchObject({ kind: "transient", reason: "secondary rate limit", retryAfterMs: 2_000 });
  });

  it("waits 60 s on a secondary rate limit without retry-after", () => {
    const error = octokitError(403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.");
    expect(classifyError(error, NOW)).toMatchObject({ kind: "transient", retryAfterMs: SECONDARY_LIMIT_DEFAULT_WAIT_MS });
    expect(classifyError(octokitError(429, "Too Many Requests"), NOW)).toMatchObject({ kind: "transient", retryAfterMs: 60_000 });
  });

  it("waits for x-ratelimit-reset on an exhausted primary limit", () => {
    const reset = String(NOW / 1000 + 120);
    const error = octokitError(403, "API rate limit exceeded for installation", { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset });
    expect(classifyError(error, NOW)).toMatchObject({ kind: "transient", reason: "primary rate limit", retryAfterMs: 120_000 });
  });

  it("treats a 403 that is not a rate limit as a revoked installation: permanent", () => {
    expect(classifyError(octokitError(403, "Resource not accessible by integration"), NOW)).toMatchObject({ kind: "permanent", status: 403 });
    expect(classifyError(octokitError(401, "Bad credentials"), NOW)).toMatchObject({ kind: "permanent", status: 401 });
  });

  it("fails a gone repository and a 422 at once", () => {
    expect(classifyError(octokitError(404, "Not Found"), NOW)).toMatchObject({ kind: "permanent", reason: "not found (repository or resource gone)" });
    expect(classifyError(octokitError(410, "Gone"), NOW)).toMatchObject({ kind: "permanent" });
    expect(classifyError(octokitError(422, "Validation Failed"), NOW)).toMatchObject({ kind: "permanent", reason: "unprocessable request" });
  });

  it("retries Stripe 429 and 5xx, reading stripe-node's statusCode and headers", () => {
    const limited = Object.assign(new Error("Too many requests"), { type: "StripeRateLimitError", statusCode: 429, headers: { "retry-after": "3" } });
    expect(classifyError(limited, NOW)).toMatchObject({ kind: "transient", retryAfterMs: 3_000 });
    const apiError = Object.assign(new Error("Something went wrong"), { type: "StripeAPIError", statusCode: 500 });
    expect(classifyError(apiError, NOW)).toMatchObject({ kind: "transient", status: 500 });
  });

  it("retries network errors, including ones wrapped by fetch", () => {
    expect(classifyError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), NOW)).toMatchObject({ kind: "transient", reason: "network error" });
    const fetchFailed = new TypeError("fetch failed", { cause: Object.assign(new Error("connect"), { code: "UND_ERR_CONNECT_TIMEOUT" }) });
    expect(classifyError(fetchFailed, NOW)).toMatchObject({ kind: "transient", reason: "network error" });
    expect(classifyError(Object.assign(new Error("connection"), { type: "StripeConnectionError" }), NOW)).toMatchObject({ reason: "network error" });
    const timeout = new Error("The operation was aborted due to timeout");
    timeout.name = "TimeoutError";
    expect(classifyError(timeout, NOW)).toMatchObject({ kind: "transient", reason: "network error" });
  });

  it("keeps an explicit UnrecoverableError permanent and a RetryLaterError's wait", () => {
    expect(classifyError(new UnrecoverableError("no"), NOW)).toMatchObject({ kind: "permanent" });
    expect(classifyError(new RetryLaterError("budget spent", 4_500), NOW)).toEqual({ kind: "transient", reason: "asked to wait", retryAfterMs: 4_500 });
  });

  it("retries unknown errors (bounded by attempts) rather than dropping work", () => {
    expect(classifyError(new Error("boom"), NOW)).toEqual({ kind: "transient", reason: "unexpected error" });
    expect(classifyError("a string", NOW)).toMatchObject({ kind: "transient" });
  });
});

describe("retryAfterOf", () => {
  it("reads seconds and HTTP dates", () => {
    expect(retryAfterOf(new Headers({ "retry-after": "7" }), NOW)).toBe(7_000);
    expect(retryAfterOf(new Headers({ "retry-after": new Date(NOW + 30_000).toUTCString() }), NOW)).toBe(30_000);
    expect(retryAfterOf(new Headers({ "retry-after": "soon" }), NOW)).toBeUndefined();
    expect(retryAfterOf(new Headers(), NOW)).toBeUndefined();
  });
});
