import nock from "nock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAddressPolicy } from "../../src/rotation/address-policy.js";
import { createHttpsHandler } from "../../src/rotation/https-handler.js";
import { checkSignature } from "../../src/rotation/signature.js";
import type { RotationRequest } from "../../src/rotation/types.js";
import { HandlerStandIn, selfSignedCertificate } from "./helpers/handler-stand-in.js";

const SECRET = "handler-secret-for-tests";
const handler = new HandlerStandIn();
const request = { version: 1, idempotencyId: "id-123" } as unknown as RotationRequest;

function caller(url: string, allowed: string[] = ["127.0.0.1"], timeoutMs = 5000) {
  return createHttpsHandler({ url, secret: SECRET, policy: createAddressPolicy(allowed), ca: selfSignedCertificate().cert, timeoutMs });
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host));
  await handler.start();
});
afterAll(async () => {
  await handler.stop();
  nock.enableNetConnect();
});
beforeEach(() => {
  handler.received.length = 0;
  handler.clearScript();
});

describe("the HTTPS rotation caller", () => {
  it("posts the request signed, with the idempotency id, and reads {status, message}", async () => {
    handler.answer({ status: 200, json: { status: "rotated", message: "new key stored in vault" } });
    const outcome = await caller(handler.url).call(request);
    expect(outcome).toEqual({ type: "answered", status: "rotated", message: "new key stored in vault" });
    const [received] = handler.received;
    expect(received?.headers["idempotency-key"]).toBe("id-123");
    expect(JSON.parse(received?.body ?? "")).toEqual(request);
    const signature = received?.headers["stripe-leak-guard-signature"];
    expect(checkSignature(typeof signature === "string" ? signature : undefined, received?.body ?? "", SECRET, Math.floor(Date.now() / 1000))).toBe("valid");
  });

  it("retries on 5xx and 429, honouring Retry-After", async () => {
    handler.answer({ status: 503 }, { status: 429, headers: { "retry-after": "7" } });
    expect(await caller(handler.url).call(request)).toMatchObject({ type: "retry", reason: expect.stringMatching(/HTTP 503$/) });
    expect(await caller(handler.url).call(request)).toMatchObject({ type: "retry", retryAfterMs: 7000 });
  });

  it("fails for good on other 4xx, quoting the handler's scrubbed message", async () => {
    const echoed = ["sk", "live", "0123456789abcdefghijKLMN"].join("_");
    handler.answer({ status: 400, json: { message: `bad request for ${echoed}` } });
    const outcome = await caller(handler.url).call(request);
    expect(outcome.type).toBe("refused");
    expect(JSON.stringify(outcome)).toContain("HTTP 400: bad request for sk_live_…KLMN");
    expect(JSON.stringify(outcome)).not.toContain(echoed);
  });

  it("does not follow a redirect, even to an allowed address", async () => {
    const target = await new HandlerStandIn().start();
    try {
      handler.answer({ status: 302, headers: { location: `https://127.0.0.1:${target.port}/elsewhere` } });
      const outcome = await caller(handler.url).call(request);
      expect(outcome).toMatchObject({ type: "refused", reason: expect.stringContaining("the App does not follow redirects") });
      expect(target.received).toHaveLength(0);
    } finally {
      await target.stop();
    }
  });

  it("gives up after the timeout and says the call may be retried", async () => {
    handler.answer("hang");
    expect(await caller(handler.url, ["127.0.0.1"], 300).call(request)).toEqual({
      type: "retry",
      reason: `https://127.0.0.1:${handler.port} did not answer within 300 ms`,
    });
  });

  it("refuses http:// without connecting", async () => {
    const outcome = await caller(handler.url.replace("https:", "http:")).call(request);
    expect(outcome).toMatchObject({ type: "refused", reason: expect.stringContaining("only calls rotation handlers over https://") });
    expect(handler.received).toHaveLength(0);
  });

  it.each([
    ["https://127.0.0.1:1/", /loopback/],
    ["https://169.254.169.254/latest", /link-local/],
    ["https://[::ffff:a9fe:a9fe]/", /IPv4-mapped/],
    ["https://[::1]/", /loopback/],
  ])("refuses %s unless allow-listed", async (url, why) => {
    expect(await caller(url, []).call(request)).toMatchObject({ type: "refused", reason: expect.stringMatching(why) });
  });

  it("checks the addresses a name resolves to (localhost is loopback)", async () => {
    const outcome = await caller(`https://localhost:${handler.port}/rotate`, []).call(request);
    expect(outcome).toMatchObject({ type: "refused", reason: expect.stringMatching(/^localhost resolves to .*loopback/) });
    expect(handler.received).toHaveLength(0);
  });

  it("calls an allow-listed name", async () => {
    handler.answer({ status: 200, json: { status: "pending" } });
    expect(await caller(`https://localhost:${handler.port}/rotate`, ["localhost", "::1"]).call(request)).toMatchObject({ type: "answered", status: "pending" });
  });

  it("refuses an untrusted certificate with a hint", async () => {
    const untrusting = createHttpsHandler({ url: handler.url, secret: SECRET, policy: createAddressPolicy(["127.0.0.1"]) });
    expect(await untrusting.call(request)).toMatchObject({ type: "refused", reason: expect.stringContaining("ROTATION_HANDLER_CA_FILE") });
  });

  it("refuses a 2xx that is not {status, message}", async () => {
    handler.answer({ status: 200, json: { ok: true } });
    expect(await caller(handler.url).call(request)).toMatchObject({ type: "refused", reason: expect.stringContaining('"status"') });
  });

  it("shows only the origin, never a token in the URL's path or query", async () => {
    const withToken = `${handler.url}?token=do-not-print-me`;
    handler.answer({ status: 500 });
    expect(JSON.stringify(await caller(withToken).call(request))).not.toContain("do-not-print-me");
  });
});
