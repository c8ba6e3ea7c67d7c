import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { rotationIdempotencyId } from "../../src/rotation/idempotency.js";
import { checkSignature, signBody } from "../../src/rotation/signature.js";

const SECRET = "a-signing-secret-for-tests";

describe("signBody", () => {
  it("is Stripe's scheme: t=<unix>,v1=hex HMAC-SHA256 of '<t>.<body>'", () => {
    const body = '{"hello":"world"}';
    const expected = createHmac("sha256", SECRET).update(`1700000000.${body}`).digest("hex");
    expect(signBody(SECRET, body, 1700000000)).toBe(`t=1700000000,v1=${expected}`);
  });
});

describe("checkSignature (the receiver's side)", () => {
  const body = '{"a":1}';
  const header = signBody(SECRET, body, 1000);

  it("accepts a fresh, matching signature", () => {
    expect(checkSignature(header, body, SECRET, 1000 + 299)).toBe("valid");
  });

  it("rejects a timestamp more than 300 s old", () => {
    expect(checkSignature(header, body, SECRET, 1000 + 301)).toBe("too-old");
  });

  it("rejects a changed body, a wrong secret and a missing or malformed header", () => {
    expect(checkSignature(header, '{"a":2}', SECRET, 1000)).toBe("mismatch");
    expect(checkSignature(header, body, "another-secret-entirely", 1000)).toBe("mismatch");
    expect(checkSignature(undefined, body, SECRET, 1000)).toBe("malformed");
    expect(checkSignature("v1=abc", body, SECRET, 1000)).toBe("malformed");
  });

  it("accepts any one of several v1 signatures (secret rotation on the receiver)", () => {
    const other = signBody("an-older-secret-value", body, 1000).split(",")[1];
    expect(checkSignature(`${header},${other}`, body, "an-older-secret-value", 1000)).toBe("valid");
  });
});

describe("rotationIdempotencyId", () => {
  it("is stable per (repository id, fingerprint) and differs otherwise", () => {
    const fingerprint = "ab".repeat(32);
    expect(rotationIdempotencyId(1, fingerprint)).toBe(rotationIdempotencyId(1, fingerprint));
    expect(rotationIdempotencyId(1, fingerprint)).not.toBe(rotationIdempotencyId(2, fingerprint));
    expect(rotationIdempotencyId(1, fingerprint)).not.toBe(rotationIdempotencyId(1, "cd".repeat(32)));
    expect(rotationIdempotencyId(1, fingerprint)).toMatch(/^[0-9a-f]{40}$/);
  });
});
