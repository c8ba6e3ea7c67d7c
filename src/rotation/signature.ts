/*
 * Stripe-style request signing: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
 * "<t>.<body>")>`. The timestamp inside the signed payload lets a receiver
 * refuse replays older than its tolerance (Stripe's own default is 300 s).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "Stripe-Leak-Guard-Signature";
export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signBody(secret: string, body: string, timestamp: number): string {
  const digest = createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${digest}`;
}

export type SignatureCheck = "valid" | "malformed" | "mismatch" | "too-old";

/** The receiver's side, used by our tests and mirrored by the sample receiver in docs/rotation-handlers.md. */
export function checkSignature(
  header: string | undefined,
  body: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): SignatureCheck {
  if (!header) return "malformed";
  const parts = header.split(",").map((part) => part.trim().split("="));
  const timestamp = Number(parts.find(([name]) => name === "t")?.[1]);
  const signatures = parts.filter(([name]) => name === "v1").map(([, value]) => value ?? "");
  if (!Number.isInteger(timestamp) || signatures.length === 0) return "malformed";
  const expected = Buffer.from(signBody(secret, body, timestamp).split("v1=")[1] ?? "", "utf8");
  const matches = signatures.some((signature) => {
    const given = Buffer.from(signature, "utf8");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) return "mismatch";
  return Math.abs(nowSeconds - timestamp) > toleranceSeconds ? "too-old" : "valid";
}
