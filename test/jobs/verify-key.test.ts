import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createVerifyKeyProcessor, StripeUnavailableError } from "../../src/jobs/verify-key.js";
import type { VerifyKeyJob } from "../../src/jobs/types.js";
import type { StripeApiOptions } from "../../src/stripe/index.js";
import { fakeKey, fakeWebhookSecret } from "../helpers/fake-keys.js";
import { stripeStandInPerFile } from "../helpers/stripe-stand-in-per-file.js";
import { createWorld, knowsEveryLabel, PATH, SHA, type World } from "../rotation/helpers/world.js";

let api: StripeApiOptions;
const stripe = stripeStandInPerFile((started) => (api = started));
let world: World;
const errors: string[] = [];

function verify(data: VerifyKeyJob) {
  return createVerifyKeyProcessor({ stripeApi: api, labelCache: knowsEveryLabel() })(data, world.deps).catch((error: unknown) => {
    errors.push(error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ""}` : String(error));
    throw error;
  });
}

function job(): VerifyKeyJob {
  const { installationId, owner, repo, repoId, issueNumber, fingerprint, location } = world.job;
  return { installationId, owner, repo, repoId, issueNumber, fingerprint, location, requestId: "comment-5", requestedBy: "alice" };
}

beforeEach(() => {
  world = createWorld();
  errors.length = 0;
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
  // The canary: not in GitHub request bodies, log lines, errors or the job data.
  expect(world.leaks([...errors, JSON.stringify(job())])).toEqual([]);
});

function serveRead(w: World): void {
  w.github.serveIssue().serveComments().serveFile(PATH, SHA, w.fileText);
}

describe("verify-key: the key is read again from the recorded commit and checked", () => {
  it("active: a comment, the key: active label, severity kept", async () => {
    serveRead(world);
    world.github.serveAddLabels();
    await verify(job());
    expect(stripe.keysSeen).toEqual([world.key]);
    const [comment] = world.github.appComments();
    expect(comment).toContain("Stripe says this key is active");
    expect(comment).toContain("Checked because @alice asked");
    expect(world.github.issue.labels).toEqual(expect.arrayContaining(["key: active", "severity: critical"]));
  });

  it("inactive (401): key: inactive and severity lowered to low", async () => {
    serveRead(world);
    world.github.serveAddLabels().serveRemoveLabels();
    stripe.answer(401);
    await verify(job());
    expect(world.github.appComments()[0]).toContain("Stripe says this key is inactive");
    expect(world.github.issue.labels).toEqual(expect.arrayContaining(["key: inactive", "severity: low"]));
    expect(world.github.issue.labels).not.toContain("severity: critical");
  });

  it("restricted key with a 403: active-restricted", async () => {
    world = createWorld({ prefix: "rk" });
    serveRead(world);
    world.github.serveAddLabels();
    stripe.answer(403);
    await verify(job());
    expect(world.github.issue.labels).toContain("key: active-restricted");
  });

  it("Stripe unavailable: one 'unknown' comment, a retryable failure, then a real verdict on the retry", async () => {
    serveRead(world);
    world.github.serveAddLabels().serveRemoveLabels();
    stripe.answer(503, 429);
    await expect(verify(job())).rejects.toBeInstanceOf(StripeUnavailableError);
    await expect(verify(job())).rejects.toBeInstanceOf(StripeUnavailableError);
    expect(world.github.appComments()).toHaveLength(1);
    expect(world.github.appComments()[0]).toContain("could not confirm");
    expect(world.github.appComments()[0]).toContain("The App will check again later");
    expect(world.github.issue.labels).toContain("key: unknown");

    await verify(job());
    expect(world.github.appComments()).toHaveLength(2);
    expect(world.github.issue.labels).toContain("key: active");
    expect(world.github.issue.labels).not.toContain("key: unknown");
  });

  it("the same request 5 times concurrently: one Stripe call, one comment", async () => {
    serveRead(world);
    world.github.serveAddLabels();
    await Promise.all(Array.from({ length: 5 }, () => verify(job())));
    expect(stripe.keysSeen).toHaveLength(1);
    expect(world.github.appComments()).toHaveLength(1);
  });

  it("a redelivered request after a verdict does nothing", async () => {
    serveRead(world);
    world.github.serveAddLabels();
    await verify(job());
    await verify(job());
    expect(stripe.keysSeen).toHaveLength(1);
    expect(world.github.appComments()).toHaveLength(1);
  });

  it.each([
    ["publishable key", () => fakeKey("pk", "live")],
    ["webhook signing secret", () => fakeWebhookSecret()],
  ])("a %s is not sent to Stripe", async (name, make) => {
    world = createWorld({ fileText: () => `const value = "${make()}";\n` });
    // The world's fingerprint is of its own sk_ key; point the job at the planted one instead.
    const { scanText } = await import("../../src/scanner/index.js");
    const [finding] = scanText(world.fileText, { path: PATH, pepper: world.deps.pepper });
    expect(finding).toBeDefined();
    world.github.issue.body = world.github.issue.body.replace(world.fingerprint, finding?.fingerprint ?? "");
    serveRead(world);
    await verify({ ...job(), fingerprint: finding?.fingerprint ?? "", location: { ...job().location, line: 1 } });
    expect(stripe.keysSeen).toHaveLength(0);
    expect(world.github.appComments()[0]).toContain(`A ${name} cannot be checked with Stripe's API`);
  });

  it("a key no longer at the recorded commit: says so, calls nobody", async () => {
    world.github.serveIssue().serveComments().serveMissingFile(PATH, SHA);
    await verify(job());
    expect(stripe.keysSeen).toHaveLength(0);
    expect(world.github.appComments()[0]).toContain("can no longer be read from GitHub");
  });

  it("an issue that is not this fingerprint's incident is left alone", async () => {
    world.github.issue.body = "an ordinary issue";
    world.github.serveIssue();
    await verify(job());
    expect(stripe.keysSeen).toHaveLength(0);
  });
});
