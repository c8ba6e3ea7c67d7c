import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Dispatcher, JobName } from "../../src/jobs/types.js";
import type { SightedFinding } from "../../src/render/types.js";
import { createScanHooks } from "../../src/rotation/scan-hooks.js";
import { scanText } from "../../src/scanner/index.js";
import type { StripeApiOptions } from "../../src/stripe/index.js";
import { stripeStandInPerFile } from "../helpers/stripe-stand-in-per-file.js";
import { createWorld, knowsEveryLabel, PATH, SHA, type World } from "./helpers/world.js";

let api: StripeApiOptions;
const stripe = stripeStandInPerFile((started) => (api = started));
let world: World;
let sent: { name: JobName; requestId: string }[];
const dispatcher: Dispatcher = { dispatch: async (name, data) => void sent.push({ name, requestId: "requestId" in data ? data.requestId : "" }) };

function sightings(w: World): SightedFinding[] {
  return scanText(w.fileText, { path: PATH, pepper: w.deps.pepper }).map((finding) => ({ finding, location: { path: PATH, line: finding.line, commitSha: SHA } }));
}

function hooks(verifyKeys: boolean, autoRotateKinds: ("secret" | "restricted")[] = []) {
  return createScanHooks({ verifyKeys, stripeApi: api, autoRotateKinds, labelCache: knowsEveryLabel() });
}

beforeEach(() => {
  world = createWorld();
  sent = [];
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
  expect(world.leaks([JSON.stringify(sent)])).toEqual([]);
});

describe("scan hooks around recordSightings", () => {
  it("verify does nothing while STRIPE_VERIFY_KEYS is off", async () => {
    expect((await hooks(false).verify(sightings(world))).size).toBe(0);
    expect(stripe.keysSeen).toEqual([]);
  });

  it("labels a new incident with its verdict and starts the automatic rotation", async () => {
    stripe.answer(401);
    const found = sightings(world);
    const verdicts = await hooks(true, ["secret"]).verify(found);
    world.github.serveIssue().serveAddLabels().serveRemoveLabels();
    await hooks(true, ["secret"]).after(
      { ...world.deps, dispatcher },
      { repo: world.job, sightings: found, outcomes: [{ fingerprint: world.fingerprint, issueNumber: 7, action: "created" }], verdicts },
    );
    expect(world.github.issue.labels).toEqual(expect.arrayContaining(["key: inactive", "severity: low"]));
    expect(world.github.issue.labels).not.toContain("severity: critical");
    expect(sent).toEqual([{ name: "rotate-key", requestId: "auto-7" }]);
  });

  it("leaves labels alone when Stripe could not answer, and schedules a later check", async () => {
    stripe.answer(503);
    const found = sightings(world);
    const verdicts = await hooks(true).verify(found);
    await hooks(true).after(
      { ...world.deps, dispatcher },
      { repo: world.job, sightings: found, outcomes: [{ fingerprint: world.fingerprint, issueNumber: 7, action: "created" }], verdicts },
    );
    expect(sent).toEqual([{ name: "verify-key", requestId: "scan-7" }]);
    expect(world.github.calls).toEqual([]);
  });
});
