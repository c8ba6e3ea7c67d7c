/*
 * The rotation and verification settings, taken from the operator's
 * environment only (repo config can never route a key anywhere). Problems
 * that are the operator's to fix (an http:// URL, a URL without a secret) are
 * kept rather than thrown: the server still starts, logs them, and every
 * rotation attempt explains them on the incident issue.
 */
import { readFileSync } from "node:fs";
import type { Env } from "../config/env.js";
import type { KeyKind } from "../scanner/index.js";
import { stripeApiFromUrl, type StripeApiOptions } from "../stripe/index.js";
import { createAddressPolicy } from "./address-policy.js";
import { createHttpsHandler, DEFAULT_HANDLER_TIMEOUT_MS, originOf } from "./https-handler.js";
import { createModuleHandler } from "./module-handler.js";
import type { RotationHandler } from "./types.js";

export interface RotationSettings {
  /** Undefined when no handler is configured. */
  handler?: RotationHandler;
  /** Why the configured handler cannot be used; every call is refused with this text. */
  problem?: string;
  autoRotateKinds: readonly KeyKind[];
  sendSecret: boolean;
  dryRun: boolean;
  verifyKeys: boolean;
  stripeApi: StripeApiOptions;
  /** Attempts per job for 5xx, 429, timeouts; then the job fails and the queue retries it later. */
  attempts: number;
  baseDelayMs: number;
}

export interface SettingsOverrides {
  handlerTimeoutMs?: number;
  attempts?: number;
  baseDelayMs?: number;
  /** Seconds since the epoch, for signatures. */
  now?: () => number;
}

export function rotationSettingsFrom(env: Env, overrides: SettingsOverrides = {}): RotationSettings {
  const base = {
    autoRotateKinds: env.AUTO_ROTATE_KINDS,
    sendSecret: env.ROTATION_SEND_SECRET,
    dryRun: env.ROTATION_DRY_RUN,
    verifyKeys: env.STRIPE_VERIFY_KEYS,
    stripeApi: stripeApiFromUrl(env.STRIPE_API_URL),
    attempts: overrides.attempts ?? 3,
    baseDelayMs: overrides.baseDelayMs ?? 2000,
  };
  const timeoutMs = overrides.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS;

  if (env.ROTATION_HANDLER_URL && env.ROTATION_HANDLER_MODULE) {
    return { ...base, problem: "both ROTATION_HANDLER_URL and ROTATION_HANDLER_MODULE are set; set one" };
  }
  if (env.ROTATION_HANDLER_MODULE) {
    return { ...base, handler: createModuleHandler({ path: env.ROTATION_HANDLER_MODULE, timeoutMs }) };
  }
  if (env.ROTATION_HANDLER_URL) {
    if (!env.ROTATION_HANDLER_SECRET) {
      return { ...base, problem: `ROTATION_HANDLER_URL (${originOf(env.ROTATION_HANDLER_URL)}) is set without ROTATION_HANDLER_SECRET; requests are never sent unsigned` };
    }
    let ca: string | undefined;
    if (env.ROTATION_HANDLER_CA_FILE) {
      try {
        ca = readFileSync(env.ROTATION_HANDLER_CA_FILE, "utf8");
      } catch {
        return { ...base, problem: "ROTATION_HANDLER_CA_FILE could not be read" };
      }
    }
    const handler = createHttpsHandler({
      url: env.ROTATION_HANDLER_URL,
      secret: env.ROTATION_HANDLER_SECRET,
      policy: createAddressPolicy(env.ROTATION_ALLOWED_HOSTS),
      timeoutMs,
      ...(ca ? { ca } : {}),
      ...(overrides.now ? { now: overrides.now } : {}),
    });
    return { ...base, handler };
  }
  return base;
}

/** Startup warnings for the operator's log: an http:// URL is accepted here but refused on every call. */
export function rotationWarnings(env: Env, settings: RotationSettings): string[] {
  const warnings: string[] = [];
  if (settings.problem) warnings.push(settings.problem);
  if (env.ROTATION_HANDLER_URL && !env.ROTATION_HANDLER_URL.startsWith("https://")) {
    warnings.push(`ROTATION_HANDLER_URL must be https://; rotation requests to ${originOf(env.ROTATION_HANDLER_URL)} will be refused`);
  }
  if (settings.autoRotateKinds.length > 0 && !settings.handler && !settings.problem) {
    warnings.push("AUTO_ROTATE_KINDS is set but no rotation handler is configured");
  }
  if (settings.sendSecret && !settings.handler) warnings.push("ROTATION_SEND_SECRET is set but no rotation handler is configured");
  return warnings;
}

export function shouldAutoRotate(settings: RotationSettings, kind: KeyKind): boolean {
  return settings.autoRotateKinds.includes(kind);
}

/** For the server's and the worker's start-up: each problem with the operator's rotation settings, once, as a warning. */
export function warnAboutRotationSettings(env: Env, log: { warn: (message: string) => void }): void {
  for (const warning of rotationWarnings(env, rotationSettingsFrom(env))) log.warn(`rotation settings: ${warning}`);
}
