/*
 * One pure decision: should a failed job be tried again, and when? Used by the
 * worker for every error a processor throws (GitHub through Octokit, Stripe
 * through stripe-node, the operator's rotation endpoint, the network).
 */

export type ErrorClass =
  | { kind: "permanent"; reason: string; status?: number }
  | { kind: "transient"; reason: string; status?: number; retryAfterMs?: number };

/** GitHub's guidance when a secondary rate limit names no wait. */
export const SECONDARY_LIMIT_DEFAULT_WAIT_MS = 60_000;

const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ENETDOWN",
]);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  type?: unknown;
  status?: unknown;
  statusCode?: unknown;
  retryAfterMs?: unknown;
  headers?: unknown;
  response?: { status?: unknown; headers?: unknown };
  cause?: unknown;
}

export function classifyError(error: unknown, now: number = Date.now()): ErrorClass {
  if (typeof error !== "object" || error === null) return { kind: "transient", reason: "non-error thrown" };
  const err = error as ErrorLike;
  const name = typeof err.name === "string" ? err.name : "";
  const message = typeof err.message === "string" ? err.message : "";

  if (name === "UnrecoverableError") return { kind: "permanent", reason: "marked unrecoverable" };
  if (typeof err.retryAfterMs === "number" && err.retryAfterMs >= 0) {
    return { kind: "transient", reason: "asked to wait", retryAfterMs: err.retryAfterMs };
  }

  const status = statusOf(err);
  if (status !== undefined) return classifyStatus(status, headersOf(err), message, now);

  if (isNetworkError(err, name, message)) return { kind: "transient", reason: "network error" };
  // A bug or an unknown failure: retrying is safe (processors are idempotent) and bounded by attempts.
  return { kind: "transient", reason: "unexpected error" };
}

function classifyStatus(status: number, headers: Headers, message: string, now: number): ErrorClass {
  const retryAfterMs = retryAfterOf(headers, now);
  if (status === 429) {
    return { kind: "transient", reason: "rate limited", status, retryAfterMs: retryAfterMs ?? SECONDARY_LIMIT_DEFAULT_WAIT_MS };
  }
  if (status === 403) {
    if (/secondary rate limit|abuse detection/i.test(message) || headers.get("retry-after") !== null) {
      return { kind: "transient", reason: "secondary rate limit", status, retryAfterMs: retryAfterMs ?? SECONDARY_LIMIT_DEFAULT_WAIT_MS };
    }
    if (headers.get("x-ratelimit-remaining") === "0" || /API rate limit exceeded/i.test(message)) {
      return { kind: "transient", reason: "primary rate limit", status, retryAfterMs: resetWaitOf(headers, now) ?? SECONDARY_LIMIT_DEFAULT_WAIT_MS };
    }
    return { kind: "permanent", reason: "forbidden (installation revoked or permission missing)", status };
  }
  if (status === 408 || status >= 500) {
    return retryAfterMs === undefined
      ? { kind: "transient", reason: `server error ${status}`, status }
      : { kind: "transient", reason: `server error ${status}`, status, retryAfterMs };
  }
  if (status === 401) return { kind: "permanent", reason: "unauthorized (installation revoked or credentials wrong)", status };
  if (status === 404 || status === 410) return { kind: "permanent", reason: "not found (repository or resource gone)", status };
  if (status === 422) return { kind: "permanent", reason: "unprocessable request", status };
  if (status >= 400) return { kind: "permanent", reason: `client error ${status}`, status };
  // 3xx reaching here means a redirect we refused to follow.
  return { kind: "permanent", reason: `unexpected status ${status}`, status };
}

function statusOf(err: ErrorLike): number | undefined {
  for (const value of [err.status, err.statusCode, err.response?.status]) {
    if (typeof value === "number" && Number.isInteger(value) && value >= 100) return value;
  }
  return undefined;
}

function headersOf(err: ErrorLike): Headers {
  const source = err.response?.headers ?? err.headers;
  const headers = new Headers();
  if (source instanceof Headers) return source;
  if (source && typeof source === "object") {
    for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
      if (typeof value === "string" || typeof value === "number") headers.set(key, String(value));
    }
  }
  return headers;
}

/** retry-after is seconds or an HTTP date. */
export function retryAfterOf(headers: Headers, now: number): number | undefined {
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function resetWaitOf(headers: Headers, now: number): number | undefined {
  const reset = Number(headers.get("x-ratelimit-reset"));
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  return Math.max(1_000, reset * 1000 - now);
}

function isNetworkError(err: ErrorLike, name: string, message: string): boolean {
  if (name === "AbortError" || name === "TimeoutError" || name === "FetchError") return true;
  if (err.type === "StripeConnectionError") return true;
  for (let current: unknown = err, depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    const code = (current as ErrorLike).code;
    if (typeof code === "string" && (NETWORK_CODES.has(code) || code.startsWith("UND_ERR_"))) return true;
    current = (current as ErrorLike).cause;
  }
  return name === "TypeError" && message === "fetch failed";
}
