/**
 * The verify and rotate jobs alert responders when they change an incident's
 * status, through the real processors: the new verdict or rotation status
 * reaches the channel (the operator's default route; the repository has no
 * config) after the issue shows it, once, and without the key.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { settleBackground } from "../../src/alerts/background.js";
import { useAlertSettings } from "../../src/alerts/settings.js";
import { readEnv } from "../../src/config/env.js";
import { createRotateKeyProcessor } from "../../src/jobs/rotate-key.js";
import { createVerifyKeyProcessor } from "../../src/jobs/verify-key.js";
import { rotationSettingsFrom } from "../../src/rotation/settings.js";
import type { StripeApiOptions } from "../../src/stripe/index.js";
import { HandlerStandIn, selfSignedCertificate } from "../rotation/helpers/handler-stand-in.js";
import { createWorld, knowsEveryLabel, PATH, SHA, type World } from "../rotation/helpers/world.js";
import { StripeStandIn } from "../stripe/stripe-stand-in.js";
import { standInSettings } from "../alerts/stand-in.js";

const channel = new HandlerStandIn();
const rotation = new HandlerStandIn();
const stripe = new StripeStandIn();
let stripeApi: StripeApiOptions;
let caDir = "";
let world: World;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => /^127\.0\.0\.1(:\d+)?$/.test(host));
  await channel.start();
  await rotation.start();
  stripeApi = await stripe.start();
  caDir = mkdtempSync(join(tmpdir(), "slg-ca-"));
  useAlertSettings(standInSettings(channel.port, { baseDelayMs: 1 }, { ALERT_DEFAULT_CHANNELS: "siem" }));
});
afterAll(async () => {
  useAlertSettings(undefined);
  await channel.stop();
  await rotation.stop();
  await stripe.stop();
  rmSync(caDir, { recursive: true, force: true });
  nock.enableNetConnect();
});
beforeEach(() => {
  world = createWorld();
  channel.received.length = 0;
  channel.always({ status: 200 });
  stripe.always(200);
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
  expect(world.leaks(channel.received.map((request) => request.body))).toEqual([]);
});

function alerts(): { type: string; incident: { verification: string | null; rotation: string | null } }[] {
  return channel.received.map((request) => JSON.parse(request.body) as { type: string; incident: { verification: string | null; rotation: string | null } });
}

describe("status alerts", () => {
  it("verify-key: a new verdict alerts the channel once", async () => {
    world.github.serveIssue().serveComments().serveFile(PATH, SHA, world.fileText).serveAddLabels().serveConfig(undefined);
    await createVerifyKeyProcessor({ stripeApi, labelCache: knowsEveryLabel() })({ ...world.job, requestId: "comment-9" }, world.deps);
    await settleBackground();
    expect(alerts()).toEqual([expect.objectContaining({ type: "incident.verification_changed", incident: expect.objectContaining({ verification: "active" }) })]);
    // The send-alert job read the issue again, after the verdict was on it.
    expect(world.github.calls.filter((call) => call === "GET /repos/octo/shop/issues/7")).toHaveLength(2);
  });

  it("rotate-key: the handler's answer alerts the channel once", async () => {
    const caFile = join(caDir, "ca.pem");
    writeFileSync(caFile, selfSignedCertificate().cert);
    rotation.always({ status: 200, json: { status: "pending", message: "queued with the vault" } });
    const settings = rotationSettingsFrom(
      readEnv({ ROTATION_HANDLER_URL: rotation.url, ROTATION_HANDLER_SECRET: "rotation-handler-secret-for-tests", ROTATION_ALLOWED_HOSTS: "127.0.0.1", ROTATION_HANDLER_CA_FILE: caFile }),
      { attempts: 1, baseDelayMs: 1 },
    );
    world.github.serveIssue().serveComments().serveFile(PATH, SHA, world.fileText).serveAddLabels().serveConfig(undefined);
    await createRotateKeyProcessor({ settings, labelCache: knowsEveryLabel(), sleep: async () => undefined })(world.job, world.deps);
    await settleBackground();
    expect(alerts()).toEqual([expect.objectContaining({ type: "incident.rotation_changed", incident: expect.objectContaining({ rotation: "pending" }) })]);
  });
});
