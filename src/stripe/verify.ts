/*
 * Asks Stripe whether a key still works. Three outcomes plus a restricted
 * flavour of "active"; an error is never "inactive": only a 401 from Stripe
 * proves the key was rolled (the trufflehog/GitLab design).
 *
 * The client is created per call so that no key outlives the call in a
 * shared object, and nothing Stripe sends back (its error messages echo a
 * masked key) is passed on: callers get our own wording only.
 */
import Stripe from "stripe";
import type { VerificationVerdict } from "../render/types.js";
import type { KeyKind } from "../scanner/index.js";
import type { StripeApiOptions } from "./api-options.js";

export interface VerificationResult {
  verdict: VerificationVerdict;
  /** True when asking again later may give an answer (429, 5xx, network trouble). */
  retryable: boolean;
  /** Why, in our own words; safe to log and to show on an issue. */
  reason: string;
}

/** Publishable keys are public by design and webhook secrets only sign; neither can call the API. */
export function isVerifiableKind(kind: KeyKind): boolean {
  return kind === "secret" || kind === "restricted" || kind === "org-secret";
}

export const DEFAULT_VERIFY_TIMEOUT_MS = 10_000;

export async function checkKey(key: string, api: StripeApiOptions = {}): Promise<VerificationResult> {
  const stripe = new Stripe(key, {
    maxNetworkRetries: 0,
    timeout: api.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS,
    telemetry: false,
    // Responders auditing the request logs can tell the App's GET /v1/balance apart from an attacker's.
    appInfo: { name: "stripe-leak-guard" },
    ...(api.host ? { host: api.host } : {}),
    ...(api.port ? { port: api.port } : {}),
    ...(api.protocol ? { protocol: api.protocol } : {}),
  });
  try {
    await stripe.balance.retrieve();
    return { verdict: "active", retryable: false, reason: "Stripe accepted the key" };
  } catch (error) {
    return classifyStripeError(error);
  }
}

/** The verdict alone, for callers that do not care why. */
export async function verifyKey(key: string, api: StripeApiOptions = {}): Promise<VerificationVerdict> {
  return (await checkKey(key, api)).verdict;
}

function classifyStripeError(error: unknown): VerificationResult {
  const status = statusOf(error);
  const type = typeOf(error);
  if (status === 401 || type === "StripeAuthenticationError") {
    return { verdict: "inactive", retryable: false, reason: "Stripe rejected the key as invalid (HTTP 401): it has been rolled or deleted" };
  }
  if (status === 403 || type === "StripePermissionError") {
    return { verdict: "active-restricted", retryable: false, reason: "Stripe accepted the key but it lacks permission to read the balance (HTTP 403): a working restricted key" };
  }
  if (status === 429 || type === "StripeRateLimitError") {
    return { verdict: "unknown", retryable: true, reason: "Stripe rate-limited the check (HTTP 429)" };
  }
  if (status !== undefined && status >= 500) {
    return { verdict: "unknown", retryable: true, reason: `Stripe answered HTTP ${status}` };
  }
  if (type === "StripeConnectionError" || status === undefined) {
    return { verdict: "unknown", retryable: true, reason: "Stripe could not be reached (network error or timeout)" };
  }
  return { verdict: "unknown", retryable: false, reason: `Stripe answered HTTP ${status}, which says nothing about the key` };
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("statusCode" in error)) return undefined;
  return typeof error.statusCode === "number" ? error.statusCode : undefined;
}

function typeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("type" in error)) return undefined;
  return typeof error.type === "string" ? error.type : undefined;
}
