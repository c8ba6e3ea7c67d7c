/*
 * Calls the operator's HTTPS rotation handler: one signed POST, no redirects,
 * resolved addresses checked at connect time, one overall deadline. Every
 * outcome is classified (answered / retry / refused) and described in words
 * safe for a public comment: the URL is shown as its origin only, because an
 * operator may have put a token in its path or query.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpsRequest } from "node:https";
import type { IncomingMessage } from "node:http";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";
import { rootCertificates } from "node:tls";
import { describeError, parseAnswer, safeText } from "./answer.js";
import type { AddressPolicy } from "./address-policy.js";
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signBody } from "./signature.js";
import type { CallOutcome, RotationHandler, RotationRequest } from "./types.js";

export const DEFAULT_HANDLER_TIMEOUT_MS = 15_000;
const MAX_RESPONSE_BYTES = 64 * 1024;
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

class RefusedAddressError extends Error {
  override name = "RefusedAddressError";
}

class DeadlineError extends Error {
  override name = "DeadlineError";
}

const TLS_TRUST_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

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
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    return { type: "refused", reason: "ROTATION_HANDLER_URL is not a valid URL" };
  }
  if (url.protocol !== "https:") {
    return {
      type: "refused",
      reason: `ROTATION_HANDLER_URL is ${url.protocol}// (${origin}); the App only calls rotation handlers over https://, so nothing was sent`,
    };
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(hostname) !== 0) {
    const refusal = options.policy.refusal(hostname, hostname);
    if (refusal) return { type: "refused", reason: refusal };
  }

  const body = JSON.stringify(request);
  const timestamp = Math.floor((options.now?.() ?? Date.now() / 1000));
  const timeoutMs = options.timeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS;

  return new Promise<CallOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: CallOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(outcome);
    };

    const req = httpsRequest({
      protocol: "https:",
      hostname,
      port: url.port || 443,
      path: `${url.pathname}${url.search}`,
      method: "POST",
      agent: false,
      // Node's `ca` replaces the public roots; keep them, so a public certificate still works.
      ...(options.ca ? { ca: [...rootCertificates, options.ca] } : {}),
      lookup: guardedLookup(options.policy),
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        "user-agent": "stripe-leak-guard",
        [SIGNATURE_HEADER]: signBody(options.secret, body, timestamp),
        [IDEMPOTENCY_HEADER]: request.idempotencyId,
      },
    });

    const deadline = setTimeout(() => req.destroy(new DeadlineError()), timeoutMs);
    // A write still in flight when the deadline destroys the socket fails after the request has let go
    // of the socket; without a listener of its own that late error would crash the worker.
    req.on("socket", (socket) => socket.on("error", () => undefined));

    req.on("response", (response) => {
      readBody(response).then(
        (text) => finish(classifyResponse(response, text, origin)),
        (error: unknown) => finish(networkOutcome(error, origin, timeoutMs)),
      );
    });
    req.on("error", (error) => finish(networkOutcome(error, origin, timeoutMs)));
    req.end(body);
  });
}

function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      for (const entry of addresses) {
        const refusal = policy.refusal(hostname, entry.address);
        if (refusal) return callback(new RefusedAddressError(refusal), "", 0);
      }
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error("no address"), { code: "ENOTFOUND" }), "", 0);
      if (options.all) return (callback as unknown as (err: null, all: LookupAddress[]) => void)(null, addresses);
      return callback(null, first.address, first.family);
    });
  };
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on("data", (chunk: Buffer) => {
      if (size >= MAX_RESPONSE_BYTES) return;
      chunks.push(chunk);
      size += chunk.length;
    });
    response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8").slice(0, MAX_RESPONSE_BYTES)));
    response.on("error", reject);
    response.on("aborted", () => reject(new Error("response aborted")));
  });
}

function classifyResponse(response: IncomingMessage, text: string, origin: string): CallOutcome {
  const status = response.statusCode ?? 0;
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
    const location = response.headers.location;
    const target = location ? ` (a redirect to ${originOf(new URL(location, origin).href)})` : "";
    return { type: "refused", reason: `${what}${target}; the App does not follow redirects` };
  }
  if (status === 429 || status >= 500) {
    const retryAfterMs = retryAfter(response.headers["retry-after"]);
    return { type: "retry", reason: what, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  const detail = messageOf(text);
  return { type: "refused", reason: detail ? `${what}: ${detail}` : what };
}

function networkOutcome(error: unknown, origin: string, timeoutMs: number): CallOutcome {
  if (error instanceof RefusedAddressError) return { type: "refused", reason: error.message };
  if (error instanceof DeadlineError) return { type: "retry", reason: `${origin} did not answer within ${formatDuration(timeoutMs)}` };
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && TLS_TRUST_CODES.has(code)) {
    return {
      type: "refused",
      reason: `the TLS certificate of ${origin} is not trusted (${code}); an internal CA goes in ROTATION_HANDLER_CA_FILE`,
    };
  }
  return { type: "retry", reason: `${origin} could not be reached: ${describeError(error)}` };
}

/** Seconds or an HTTP date; capped, because a handler cannot park a job for days. */
function retryAfter(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
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
