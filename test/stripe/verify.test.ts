import { describe, expect, it } from "vitest";
import { checkKey, isVerifiableKind, severityForVerdict, stripeApiFromUrl, verifyKey } from "../../src/stripe/index.js";
import type { StripeApiOptions } from "../../src/stripe/index.js";
import { fakeKey } from "../helpers/fake-keys.js";
import { stripeStandInPerFile } from "../helpers/stripe-stand-in-per-file.js";

let api: StripeApiOptions;
const stripe = stripeStandInPerFile((started) => (api = started));

describe("verifyKey against a local Stripe stand-in", () => {
  it("calls it active when Stripe answers the balance request", async () => {
    const key = fakeKey("sk", "live");
    expect(await verifyKey(key, api)).toBe("active");
    expect(stripe.keysSeen).toEqual([key]);
    expect(stripe.paths.at(-1)).toBe("GET /v1/balance");
    // So that the check is recognisable in the account's request logs.
    expect(stripe.userAgents.at(-1)).toContain("stripe-leak-guard");
  });

  it("calls it inactive only on a 401", async () => {
    stripe.answer(401);
    const result = await checkKey(fakeKey("sk", "live"), api);
    expect(result).toMatchObject({ verdict: "inactive", retryable: false });
  });

  it("calls a 403 a working restricted key", async () => {
    stripe.answer(403);
    expect(await checkKey(fakeKey("rk", "live"), api)).toMatchObject({ verdict: "active-restricted", retryable: false });
  });

  it.each([429, 500, 503] as const)("calls HTTP %i unknown and retryable", async (status) => {
    stripe.answer(status);
    expect(await checkKey(fakeKey("sk", "live"), api)).toMatchObject({ verdict: "unknown", retryable: true });
  });

  it("calls a dropped connection unknown and retryable, never inactive", async () => {
    // The stripe package retries a closed connection once even with retries off; drop both.
    stripe.answer("drop", "drop");
    expect(await checkKey(fakeKey("sk", "live"), api)).toMatchObject({ verdict: "unknown", retryable: true });
  });

  it("calls a timeout unknown and retryable", async () => {
    stripe.answer("hang");
    expect(await checkKey(fakeKey("sk", "live"), { ...api, timeoutMs: 200 })).toMatchObject({ verdict: "unknown", retryable: true });
  });

  it("calls an unreachable host unknown and retryable", async () => {
    const closed = { host: "127.0.0.1", port: 1, protocol: "http" as const, timeoutMs: 1000 };
    expect(await checkKey(fakeKey("sk", "live"), closed)).toMatchObject({ verdict: "unknown", retryable: true });
  });

  it("calls another 4xx unknown, not retryable", async () => {
    stripe.answer(400);
    expect(await checkKey(fakeKey("sk", "live"), api)).toMatchObject({ verdict: "unknown", retryable: false });
  });

  it("never puts the key in its reason", async () => {
    for (const status of [200, 401, 403, 429, 500, 400] as const) {
      const key = fakeKey("sk", "live");
      stripe.answer(status);
      const result = await checkKey(key, api);
      expect(JSON.stringify(result)).not.toContain(key);
      expect(JSON.stringify(result)).not.toContain(key.slice(-12));
    }
  });
});

describe("what can be verified", () => {
  it("checks secret, restricted and organization keys, not publishable keys or webhook secrets", () => {
    expect(["secret", "restricted", "org-secret"].every((kind) => isVerifiableKind(kind as never))).toBe(true);
    expect(isVerifiableKind("publishable")).toBe(false);
    expect(isVerifiableKind("webhook-secret")).toBe(false);
  });
});

describe("severityForVerdict", () => {
  it("drops an inactive key to low, raises a working live key to at least high, leaves test keys and unknown alone", () => {
    expect(severityForVerdict("critical", "inactive", "live")).toBe("low");
    expect(severityForVerdict("info", "inactive", "test")).toBe("info");
    expect(severityForVerdict("medium", "active", "live")).toBe("high");
    expect(severityForVerdict("medium", "active", "test")).toBe("medium");
    expect(severityForVerdict("critical", "active-restricted", "live")).toBe("critical");
    expect(severityForVerdict("medium", "unknown", "live")).toBe("medium");
  });
});

describe("stripeApiFromUrl", () => {
  it("splits a URL into the stripe package's host options", () => {
    expect(stripeApiFromUrl("http://127.0.0.1:12111")).toEqual({ host: "127.0.0.1", port: 12111, protocol: "http" });
    expect(stripeApiFromUrl(undefined)).toEqual({});
    expect(() => stripeApiFromUrl("ftp://x")).toThrow(/http or https/);
  });
});
