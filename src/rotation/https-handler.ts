/*
 * Calls the operator's HTTPS rotation handler: one signed POST, no redirects,
 * resolved addresses checked at connect time, one overall deadline (the
 * transport is https-post.ts, shared with the alert webhooks). Every
 * outcome is classified (answered / retry / refused) and described in words
 * safe for a public comment: the URL is shown as its origin only, because an
 * operator may have put a token in its path or query.
 */
import type { IncomingHttpHeaders } from "node:http";
import { describeError, parseAnswer, safeText } from "./answer.js";
import type { AddressPolicy } from "./address-policy.js";
import { httpsPost, retryAfterMs, TLS_TRUST_CODES } from "./https-post.js";
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signBody } from "./signature.js";
import type { CallOutcome, RotationHandler, RotationRequest } from "./types.js";

export const DEFAULT_HANDLER_TIMEOUT_MS = 15_000;
const MAX_RETRY_AFTER_MS = 10 * 60_000;

export interface HttpsHandlerOptions {
  url: string;
  secret: string;
  policy: AddressPolicy;
  timeoutMs?: number;
  /** Extra trusted CA certificates (PEM), for an internal CA or a test stand-in. */
  ca?: string;
  /** Seconds since the epoch, for the signature; injectable for tests. */
  now?: () => number;
}

export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(not a URL)";
  }
}

export function createHttpsHandler(options: HttpsHandlerOptions): RotationHandler {
  const origin = originOf(options.url);
  return {
    description: origin,
    call: (request) => callOnce(options, origin, request),
  };
}

async function callOnce(options: HttpsHandlerOptions, origin: string, request: RotationRequest): Promise<CallOutcome> {
  const body = JSON.stringify(request);
  const timestamp = Math.floor((options.now?.() ?? Date.now() / 1000));
  const timeoutMs = options.timeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS;
  const result = await httpsPost({
    url: options.url,
    body,
    headers: { [SIGNATURE_HEADER]: signBody(options.secret, body, timestamp), [IDEMPOTENCY_HEADER]: request.idempotencyId },
    policy: options.policy,
    timeoutMs,
    ...(options.ca ? { ca: options.ca } : {}),
  });
  switch (result.type) {
    case "response":
      return classifyResponse(result.status, result.headers, result.text, origin);
    case "invalid-url":
      return { type: "refused", reason: "ROTATION_HANDLER_URL is not a valid URL" };
    case "not-https":
      return {
        type: "refused",
        reason: `ROTATION_HANDLER_URL is ${result.protocol}// (${origin}); the App only calls rotation handlers over https://, so nothing was sent`,
      };
    case "blocked":
      return { type: "refused", reason: result.reason };
    case "timeout":
      return { type: "retry", reason: `${origin} did not answer within ${formatDuration(timeoutMs)}` };
    case "network":
      return networkOutcome(result.error, origin);
  }
}

function classifyResponse(status: number, headers: IncomingHttpHeaders, text: string, origin: string): CallOutcome {
  const what = `${origin} answered HTTP ${status}`;
  if (status >= 200 && status < 300) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return parseAnswer(json, what);
  }
  if (status >= 300 && status < 400) {
    const location = headers.location;
    const target = location ? ` (a redirect to ${originOf(new URL(location, origin).href)})` : "";
    return { type: "refused", reason: `${what}${target}; the App does not follow redirects` };
  }
  if (status === 429 || status >= 500) {
    // Capped, because a handler cannot park a job for days.
    const wait = retryAfterMs(headers["retry-after"], MAX_RETRY_AFTER_MS);
    return { type: "retry", reason: what, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  }
  const detail = messageOf(text);
  return { type: "refused", reason: detail ? `${what}: ${detail}` : what };
}

function networkOutcome(error: unknown, origin: string): CallOutcome {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && TLS_TRUST_CODES.has(code)) {
    return {
      type: "refused",
      reason: `the TLS certificate of ${origin} is not trusted (${code}); an internal CA goes in ROTATION_HANDLER_CA_FILE`,
    };
  }
  return { type: "retry", reason: `${origin} could not be reached: ${describeError(error)}` };
}

/** A short reason from an error body, when the handler gave one as JSON {message} or {error}. */
function messageOf(text: string): string {
  try {
    const json = JSON.parse(text) as { message?: unknown; error?: unknown };
    const value = typeof json.message === "string" ? json.message : typeof json.error === "string" ? json.error : "";
    return safeText(value, 300);
  } catch {
    return "";
  }
}
