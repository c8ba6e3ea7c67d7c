/*
 * One HTTPS POST to an operator-configured endpoint, with the rules the
 * rotation caller established: https:// only, no redirects followed, every
 * resolved address checked against the address policy at connect time (so
 * DNS rebinding cannot slip past an earlier check), one overall deadline, a
 * capped response. It says what happened and leaves the judgement (retry or
 * refuse, and the words for it) to the caller: the rotation handler
 * (https-handler.ts), and the alert webhooks and Slack (src/alerts/deliver.ts).
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { rootCertificates } from "node:tls";
import type { AddressPolicy } from "./address-policy.js";

const MAX_RESPONSE_BYTES = 64 * 1024;

export interface HttpsPostOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  policy: AddressPolicy;
  timeoutMs: number;
  /** Extra trusted CA certificates (PEM), added to the public roots. */
  ca?: string;
}

export type HttpsPostResult =
  | { type: "response"; status: number; headers: IncomingHttpHeaders; text: string }
  | { type: "invalid-url" }
  | { type: "not-https"; protocol: string }
  /** The policy refused an address the host is or resolves to; `reason` is the policy's words. */
  | { type: "blocked"; reason: string }
  | { type: "timeout" }
  | { type: "network"; error: unknown };

class RefusedAddressError extends Error {
  override name = "RefusedAddressError";
}

class DeadlineError extends Error {
  override name = "DeadlineError";
}

export function httpsPost(options: HttpsPostOptions): Promise<HttpsPostResult> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    return Promise.resolve({ type: "invalid-url" });
  }
  if (url.protocol !== "https:") return Promise.resolve({ type: "not-https", protocol: url.protocol });
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(hostname) !== 0) {
    const refusal = options.policy.refusal(hostname, hostname);
    if (refusal) return Promise.resolve({ type: "blocked", reason: refusal });
  }

  return new Promise<HttpsPostResult>((resolve) => {
    let settled = false;
    const finish = (result: HttpsPostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    const failed = (error: unknown) => {
      if (error instanceof RefusedAddressError) finish({ type: "blocked", reason: error.message });
      else if (error instanceof DeadlineError) finish({ type: "timeout" });
      else finish({ type: "network", error });
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
      headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(options.body)), "user-agent": "stripe-leak-guard", ...options.headers },
    });
    const deadline = setTimeout(() => req.destroy(new DeadlineError()), options.timeoutMs);
    // A write still in flight when the deadline destroys the socket fails after the request has let go
    // of the socket; without a listener of its own that late error would crash the process.
    req.on("socket", (socket) => socket.on("error", () => undefined));
    req.on("response", (response) => {
      readBody(response).then(
        (text) => finish({ type: "response", status: response.statusCode ?? 0, headers: response.headers, text }),
        failed,
      );
    });
    req.on("error", failed);
    req.end(options.body);
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

/** Seconds or an HTTP date, capped: an endpoint cannot park a job for days. */
export function retryAfterMs(header: string | string[] | undefined, capMs: number, now: number = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return Math.min(ms, capMs);
}

/** TLS failures that retrying cannot fix: the operator must trust the certificate (a CA file) or fix it. */
export const TLS_TRUST_CODES: ReadonlySet<string> = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);
