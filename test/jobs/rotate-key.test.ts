import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UnrecoverableError } from "bullmq";
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readEnv } from "../../src/config/env.js";
import { createRotateKeyProcessor, RotationHandlerUnavailableError } from "../../src/jobs/rotate-key.js";
import type { RotateKeyJob } from "../../src/jobs/types.js";
import { rotationIdempotencyId } from "../../src/rotation/idempotency.js";
import { rotationSettingsFrom } from "../../src/rotation/settings.js";
import { checkSignature } from "../../src/rotation/signature.js";
import type { RotationRequest } from "../../src/rotation/types.js";
import { requestDigest } from "../../src/rotation/comments.js";
import { HandlerStandIn, selfSignedCertificate } from "../rotation/helpers/handler-stand-in.js";
import { createWorld, knowsEveryLabel, PATH, SHA, type World } from "../rotation/helpers/world.js";
import { StripeStandIn } from "../stripe/stripe-stand-in.js";

const SECRET = "rotation-handler-secret-for-tests";
const handler = new HandlerStandIn();
const stripe = new StripeStandIn();
let stripeUrl = "";
let caDir = "";
let caFile = "";
let world: World;

function processor(env: Record<string, string> = {}, overrides: { attempts?: number; timeoutMs?: number } = {}) {
  const settings = rotationSettingsFrom(
    readEnv({
      ROTATION_HANDLER_URL: handler.url,
      ROTATION_HANDLER_SECRET: SECRET,
      ROTATION_ALLOWED_HOSTS: "127.0.0.1",
      ROTATION_HANDLER_CA_FILE: caFile,
      STRIPE_API_URL: stripeUrl,
      ...env,
    }),
    // Generous, because the machine running the tests may be busy; the timeout case sets its own.
    { handlerTimeoutMs: overrides.timeoutMs ?? 5000, attempts: overrides.attempts ?? 3, baseDelayMs: 1 },
  );
  return createRotateKeyProcessor({ settings, labelCache: knowsEveryLabel(), sleep: async () => undefined });
}

/** The routes every run that reaches the handler uses. */
function serveRun(w: World): void {
  w.github.serveIssue().serveComments().serveFile(PATH, SHA, w.fileText);
}

function sentRequests(): RotationRequest[] {
  return handler.received.map((request) => JSON.parse(request.body) as RotationRequest);
}

function lastComment(w: World): string {
  return w.github.appComments().at(-1) ?? "";
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => /^127\.0\.0\.1(:\d+)?$/.test(host));
  await handler.start();
  const api = await stripe.start();
  stripeUrl = `http://127.0.0.1:${api.port}`;
  caDir = mkdtempSync(join(tmpdir(), "slg-ca-"));
  caFile = join(caDir, "ca.pem");
  writeFileSync(caFile, selfSignedCertificate().cert);
});

afterAll(async () => {
  await handler.stop();
  await stripe.stop();
  rmSync(caDir, { recursive: true, force: true });
  nock.enableNetConnect();
});

beforeEach(() => {
  world = createWorld();
  handler.received.length = 0;
  handler.clearScript();
  handler.always({ status: 200, json: { status: "rotated", message: "secret store updated" } });
  stripe.keysSeen.length = 0;
  stripe.always(200);
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
  // The canary: the raw key never reaches GitHub or the logs.
  expect(world.leaks()).toEqual([]);
});

describe("rotate-key: each handler case ends as specified and shows on the incident", () => {
  it("rotated: one signed call without the key, a comment and a rotation label", async () => {
    serveRun(world);
    world.github.serveAddLabels();
    await processor()(world.job, world.deps);

    expect(handler.received).toHaveLength(1);
    const [received] = handler.received;
    const signature = received?.headers["stripe-leak-guard-signature"];
    expect(checkSignature(typeof signature === "string" ? signature : undefined, received?.body ?? "", SECRET, Math.floor(Date.now() / 1000))).toBe("valid");
    expect(received?.headers["idempotency-key"]).toBe(rotationIdempotencyId(4242, world.fingerprint));
    expect(received?.body).not.toContain(world.key);

    const [request] = sentRequests();
    expect(request).toMatchObject({
      version: 1,
      trigger: "auto",
      incident: { repository: "octo/shop", repositoryId: 4242, issueNumber: 7, url: "https://github.com/octo/shop/issues/7" },
      key: { kind: "secret", mode: "live", fingerprint: world.fingerprint },
      locations: [{ path: PATH, line: 3, commitSha: SHA, url: expect.stringContaining(`/blob/${SHA}/config/stripe%20settings.js#L3`) }],
      verification: "not-checked",
    });
    expect(request?.key.redacted).toMatch(/^sk_live_…[A-Za-z0-9]{4}$/);
    expect(request?.key).not.toHaveProperty("secret");

    expect(world.github.appComments()).toHaveLength(1);
    expect(lastComment(world)).toContain("Rotation handler: rotated");
    expect(lastComment(world)).toContain("> secret store updated");
    expect(world.github.issue.labels).toContain("rotation: rotated");
  });

  it("a 500 and then success: retried with backoff, one comment saying rotated after 2 attempts", async () => {
    serveRun(world);
    world.github.serveAddLabels();
    handler.answer({ status: 500 });
    await processor()(world.job, world.deps);

    expect(handler.received).toHaveLength(2);
    expect(new Set(handler.received.map((request) => request.headers["idempotency-key"])).size).toBe(1);
    expect(world.github.appComments()).toHaveLength(1);
    expect(lastComment(world)).toContain("reported this key **rotated** (after 2 attempts)");
    expect(world.github.issue.labels).toContain("rotation: rotated");
  });

  it("a 400: fails for good with a comment and the rotation: failed label", async () => {
    serveRun(world);
    world.github.serveAddLabels();
    handler.answer({ status: 400, json: { message: "unknown key kind" } });
    await expect(processor()(world.job, world.deps)).rejects.toBeInstanceOf(UnrecoverableError);

    expect(handler.received).toHaveLength(1);
    expect(lastComment(world)).toContain("Rotation request failed");
    expect(lastComment(world)).toContain("answered HTTP 400: unknown key kind");
    expect(lastComment(world)).toContain("comment `/stripe-leak-guard rotate` to try again");
    expect(world.github.issue.labels).toContain("rotation: failed");
  });

  it("a timeout: retried, then one 'unavailable' comment and a retryable failure; the queue's retry then succeeds", async () => {
    serveRun(world);
    world.github.serveAddLabels();
    handler.always("hang");
    await expect(processor({}, { attempts: 2, timeoutMs: 500 })(world.job, world.deps)).rejects.toBeInstanceOf(RotationHandlerUnavailableError);
    expect(world.github.appComments()).toHaveLength(1);
    expect(lastComment(world)).toContain("Rotation handler unavailable");
    expect(lastComment(world)).toContain("All 2 attempts failed");
    expect(lastComment(world)).toContain("did not answer within 500 ms");

    // The queue runs the same job again later, and this time the handler answers.
    handler.always({ status: 200, json: { status: "rotated", message: "done" } });
    const before = handler.received.length;
    await processor({}, { attempts: 2 })(world.job, world.deps);
    expect(handler.received).toHaveLength(before + 1);
    expect(world.github.appComments()).toHaveLength(2);
    expect(lastComment(world)).toContain("Rotation handler: rotated");
  });

  it("a redirect to loopback: not followed, fails for good with a comment", async () => {
    const loopback = await new HandlerStandIn().start();
    try {
      serveRun(world);
      world.github.serveAddLabels();
      handler.answer({ status: 302, headers: { location: `https://127.0.0.1:${loopback.port}/internal` } });
      await expect(processor()(world.job, world.deps)).rejects.toBeInstanceOf(UnrecoverableError);
      expect(loopback.received).toHaveLength(0);
      expect(lastComment(world)).toContain(`answered HTTP 302 (a redirect to https://127.0.0.1:${loopback.port}); the App does not follow redirects`);
      expect(world.github.issue.labels).toContain("rotation: failed");
    } finally {
      await loopback.stop();
    }
  });

  it("an http:// URL: refused with a clear comment, nothing sent", async () => {
    serveRun(world);
    world.github.serveAddLabels();
    const plain = processor({ ROTATION_HANDLER_URL: handler.url.replace("https:", "http:") });
    await expect(plain(world.job, world.deps)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(handler.received).toHaveLength(0);
    expect(lastComment(world)).toContain("ROTATION_HANDLER_URL is http://");
    expect(lastComment(world)).toContain("only calls rotation handlers over https://, so nothing was sent");
  });

  it("a private address that is not allow-listed: refused before connecting", async () => {
    serveRun(world);
    world.github.serveAddLabels();
    await expect(processor({ ROTATION_ALLOWED_HOSTS: "" })(world.job, world.deps)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(handler.received).toHaveLength(0);
    expect(lastComment(world)).toContain("127.0.0.1 is a loopback address");
  });
});

describe("rotate-key: at-least-once delivery makes one handler call", () => {
  it("the same request 5 times concurrently: one call, one comment", async () => {
    serveRun(world);
    world.github.serveAddLabels();
    const run = processor();
    await Promise.all(Array.from({ length: 5 }, () => run(world.job, world.deps)));
    expect(handler.received).toHaveLength(1);
    expect(world.github.appComments()).toHaveLength(1);
  });

  it("5 different automatic requests for one incident concurrently: one call, one comment", async () => {
    serveRun(world);
    world.github.serveAddLabels();
    const run = processor();
    await Promise.all(Array.from({ length: 5 }, (_, index) => run({ ...world.job, requestId: `delivery-${index}` }, world.deps)));
    expect(handler.received).toHaveLength(1);
    expect(world.github.appComments()).toHaveLength(1);
  });

  it("a person asking again after a rotation is told so, and nothing is sent", async () => {
    serveRun(world);
    world.github.serveAddLabels();
    const run = processor();
    await run(world.job, world.deps);
    const again: RotateKeyJob = { ...world.job, requestId: "comment-99", trigger: "command", requestedBy: "alice" };
    await run(again, world.deps);
    expect(handler.received).toHaveLength(1);
    expect(lastComment(world)).toContain("already reported this key **rotated**");
  });

  it("a marker pasted by a person does not count as the App's record", async () => {
    serveRun(world);
    world.github.serveAddLabels();
    world.github.issue.comments.push({ id: 1, bot: false, body: `<!-- stripe-leak-guard:rotation rotated ${requestDigest("delivery-1")} -->` });
    await processor()(world.job, world.deps);
    expect(handler.received).toHaveLength(1);
  });
});

describe("rotate-key: operator settings", () => {
  it("ROTATION_SEND_SECRET puts the raw key in the handler request only", async () => {
    serveRun(world);
    world.github.serveAddLabels();
    await processor({ ROTATION_SEND_SECRET: "true" })(world.job, world.deps);
    expect(sentRequests()[0]?.key.secret).toBe(world.key);
    expect(JSON.stringify(world.job)).not.toContain(world.key);
  });

  it("a handler that echoes the key it was sent cannot leak it into the comment, the error or the logs", async () => {
    serveRun(world);
    world.github.serveAddLabels();
    handler.answer({ status: 422, json: { message: `refusing to store ${world.key}` } });
    const error: unknown = await processor({ ROTATION_SEND_SECRET: "true" })(world.job, world.deps).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(UnrecoverableError);
    const text = error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : "";
    expect(world.leaks([text, lastComment(world)])).toEqual([]);
    expect(lastComment(world)).toContain("refusing to store sk_live_…");
  });

  it("ROTATION_DRY_RUN comments what would be sent and sends nothing (the key stays out)", async () => {
    serveRun(world);
    await processor({ ROTATION_DRY_RUN: "true", ROTATION_SEND_SECRET: "true" })(world.job, world.deps);
    expect(handler.received).toHaveLength(0);
    expect(lastComment(world)).toContain("Rotation dry run");
    expect(lastComment(world)).toContain('"idempotencyId"');
    expect(lastComment(world)).toContain("(the raw key, read from GitHub at call time)");
  });

  it("with verification on: checks before and after; Stripe's 401 closes the incident when the config asks", async () => {
    serveRun(world);
    world.github.serveAddLabels().serveRemoveLabels().serveUpdates().serveConfig("incidents:\n  closeWhenInactive: true\n");
    stripe.answer(200, 401);
    await processor({ STRIPE_VERIFY_KEYS: "true" })(world.job, world.deps);

    expect(sentRequests()[0]?.verification).toBe("active");
    expect(stripe.keysSeen).toEqual([world.key, world.key]);
    const comments = world.github.appComments();
    expect(comments).toHaveLength(2);
    expect(comments[1]).toContain("Stripe confirms the key is no longer accepted");
    expect(comments[1]).toContain("Closing this incident");
    expect(world.github.issue.labels).toEqual(expect.arrayContaining(["rotation: rotated", "key: inactive", "severity: low"]));
    expect(world.github.issue.labels).not.toContain("severity: critical");
    expect(world.github.issue.state).toBe("closed");
    expect(world.github.issue.stateReason).toBe("completed");
  });

  it("with verification on and a key Stripe still accepts: says so and leaves the issue open", async () => {
    serveRun(world);
    world.github.serveAddLabels();
    await processor({ STRIPE_VERIFY_KEYS: "true" })(world.job, world.deps);
    expect(lastComment(world)).toContain("Stripe says this key is active");
    expect(world.github.issue.state).toBe("open");
  });

  it("no handler configured: a person is told, nothing is read or sent", async () => {
    world.github.serveIssue().serveComments();
    const unconfigured = createRotateKeyProcessor({ settings: rotationSettingsFrom(readEnv({})), labelCache: knowsEveryLabel() });
    await unconfigured({ ...world.job, trigger: "command", requestedBy: "alice" }, world.deps);
    expect(handler.received).toHaveLength(0);
    expect(lastComment(world)).toContain("No rotation handler is configured");
  });

  it("the key is no longer at the recorded commit: says so and fails for good", async () => {
    world.github.serveIssue().serveComments().serveMissingFile(PATH, SHA);
    await expect(processor()(world.job, world.deps)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(handler.received).toHaveLength(0);
    expect(lastComment(world)).toContain("can no longer be read from GitHub");
  });
});
