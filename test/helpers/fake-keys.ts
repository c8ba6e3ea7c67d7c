/**
 * Fake Stripe keys, built at runtime so that no key-shaped literal is ever
 * committed (GitHub push protection and our own scanner would flag it).
 */
import { randomBytes } from "node:crypto";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A random alphanumeric body with realistic entropy. Seeded callers pass their own bytes. */
export function randomBody(length = 99, bytes: Uint8Array = randomBytes(length)): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[(bytes[i] ?? 0) % ALPHANUMERIC.length];
  return out;
}

/** Joins the parts with "_", e.g. fakeKey("sk", "live") → "sk_live_<99 random chars>". */
export function fakeKey(prefix: "sk" | "rk" | "pk", mode: "live" | "test", body = randomBody()): string {
  return [prefix, mode, body].join("_");
}

export function fakeWebhookSecret(body = randomBody(32)): string {
  return ["whsec", body].join("_");
}
