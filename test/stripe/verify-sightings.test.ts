import { describe, expect, it } from "vitest";
import type { SightedFinding } from "../../src/render/types.js";
import { scanText } from "../../src/scanner/index.js";
import { verdictsOf, verifySightings, type StripeApiOptions } from "../../src/stripe/index.js";
import { fakeKey, fakeWebhookSecret } from "../helpers/fake-keys.js";
import { stripeStandInPerFile } from "../helpers/stripe-stand-in-per-file.js";

let api: StripeApiOptions;
const stripe = stripeStandInPerFile((started) => (api = started));

function sightings(text: string): SightedFinding[] {
  return scanText(text, { path: "a.js", pepper: "p".repeat(16) }).map((finding) => ({ finding, location: { path: "a.js", line: finding.line, commitSha: "e".repeat(40) } }));
}

describe("verifySightings", () => {
  it("checks each distinct verifiable key once, and skips publishable keys and webhook secrets", async () => {
    const live = fakeKey("sk", "live");
    const restricted = fakeKey("rk", "live");
    const seen = sightings(`${live}\n${live}\n${restricted}\n${fakeKey("pk", "live")}\n${fakeWebhookSecret()}\n`);
    stripe.answer(401, 403);
    const results = await verifySightings(seen, api);
    expect(stripe.keysSeen).toEqual([live, restricted]);
    expect([...verdictsOf(results).values()]).toEqual(["inactive", "active-restricted"]);
  });

  it("skips copies of findings, which carry no key", async () => {
    const seen = sightings(fakeKey("sk", "live")).map((sighting) => ({ ...sighting, finding: { ...sighting.finding } }));
    stripe.keysSeen.length = 0;
    expect((await verifySightings(seen, api)).size).toBe(0);
    expect(stripe.keysSeen).toEqual([]);
  });
});
