import { createHash } from "node:crypto";
import { scrubString } from "../log/scrub.js";

/*
 * How a job is recognised again. GitHub keeps X-GitHub-Delivery on a
 * redelivery, but we do not rely on that alone: the content id covers a
 * redelivery with a new id and the same event sent twice by GitHub.
 */

/** Three days: GitHub lets a delivery be redelivered for that long. */
export const DEDUPE_TTL_MS = 3 * 24 * 60 * 60 * 1000;

/**
 * Job data larger than this is not "ids only" (a patch or a file body slipped
 * in). Roomy enough for a backfill's list of ten thousand repository ids.
 */
export const MAX_JOB_DATA_BYTES = 128 * 1024;

/**
 * Everything in the job except the delivery id, hashed with sorted keys, so
 * that two deliveries of the same push or PR head give the same id. Safe in a
 * BullMQ id: no ":" and never all digits.
 */
export function contentId(name: string, data: object): string {
  const content: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  delete content.deliveryId;
  const digest = createHash("sha256").update(name).update("\0").update(canonicalJson(content)).digest("hex");
  return `${name}-${digest.slice(0, 40)}`;
}

export function deliveryIdOf(data: object): string | undefined {
  const value = (data as { deliveryId?: unknown }).deliveryId;
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** Delivery ids are GUIDs, but keep our keys tidy whatever arrives. */
export function safeIdPart(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 100);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/*
 * Stricter than the log scrubber (which masks any short key-like run): a real
 * key body is at least 20 characters, and a branch named "task_live_fix" must
 * not stop a job. Built from parts so that this file holds no key-shaped literal.
 */
const KEY_IN_DATA = new RegExp(
  ["(?<![A-Za-z0-9])(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{20,}", "(?<![A-Za-z0-9])sk_org_[0-9A-Za-z_]{20,}", "(?<![A-Za-z0-9])whsec_[0-9A-Za-z]{20,}"].join("|"),
);

export class UnsafeJobDataError extends Error {
  override name = "UnsafeJobDataError";
}

/**
 * Job data is stored in clear text in Redis. Refuse anything that looks like a
 * Stripe key, and anything big enough to be file content, before it gets there.
 */
export function assertIdsOnly(name: string, data: object): string {
  const json = JSON.stringify(data);
  if (Buffer.byteLength(json) > MAX_JOB_DATA_BYTES) {
    throw new UnsafeJobDataError(`job ${name}: data is over ${MAX_JOB_DATA_BYTES} bytes; jobs carry ids only`);
  }
  if (KEY_IN_DATA.test(json)) {
    throw new UnsafeJobDataError(`job ${name}: data contains a Stripe key; jobs carry ids only`);
  }
  return json;
}

/** Error text goes into Redis (failedReason, stacktrace) and logs: blank out anything key-shaped. */
export function scrubKeys(text: string): string {
  return scrubString(text);
}
