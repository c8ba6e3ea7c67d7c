import { describe, expect, it } from "vitest";
import { parseInlineMarker, renderInlineComment } from "../../src/render/index.js";
import { sighted } from "./fixtures.js";

describe("renderInlineComment", () => {
  it("carries an inline marker that parses back to fingerprint, path and line", () => {
    const input = sighted({ path: "dir with space/a--b.env", line: 42 });
    const parsed = parseInlineMarker(renderInlineComment(input));
    expect(parsed).toEqual({ fingerprint: input.finding.fingerprint, path: "dir with space/a--b.env", line: 42 });
  });

  it("names the key and gives guidance for its kind and mode", () => {
    const live = renderInlineComment(sighted({ kind: "secret", mode: "live" }));
    expect(live).toContain("Stripe live secret key");
    expect(live).toContain("`sk_live_…a1B2`");
    expect(live).toContain("https://dashboard.stripe.com/apikeys");

    const test = renderInlineComment(sighted({ kind: "restricted", mode: "test", severity: "low" }));
    expect(test).toContain("https://dashboard.stripe.com/test/apikeys");

    const hook = renderInlineComment(sighted({ kind: "webhook-secret" }));
    expect(hook).toMatch(/Roll secret/);
    expect(hook).toContain("STRIPE_WEBHOOK_SECRET");

    const org = renderInlineComment(sighted({ kind: "org-secret" }));
    expect(org).toContain("https://dashboard.stripe.com/org/api-keys/secret");

    const publishable = renderInlineComment(sighted({ kind: "publishable" }));
    expect(publishable).toMatch(/meant to be public/);
  });

  it("stays short", () => {
    expect(renderInlineComment(sighted()).length).toBeLessThan(1_000);
  });

  it("mentions the encoding when the key was hidden behind one", () => {
    expect(renderInlineComment(sighted({ encoding: "base64" }))).toMatch(/base64-encoded/);
  });
});
