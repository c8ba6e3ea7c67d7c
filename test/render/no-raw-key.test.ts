import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/scanner/index.js";
import { revealSecret, scanText } from "../../src/scanner/index.js";
import {
  renderCheckRun,
  renderIncidentIssue,
  renderInlineComment,
  renderPrSummary,
  renderReopenComment,
  renderSightingComment,
} from "../../src/render/index.js";
import { fakeKey, fakeWebhookSecret, randomBody } from "../helpers/fake-keys.js";
import { SHA, repo } from "./fixtures.js";

const PEPPER = "render-canary-pepper-0123456789";

/** The canary: a key the engine found must not come out of any renderer. */
function findKey(text: string): Finding {
  const [finding] = scanText(text, { path: "config/.env", pepper: PEPPER });
  if (!finding) throw new Error("the engine found no key in the canary text");
  return finding;
}

function everyOutput(finding: Finding): string {
  const location = { path: finding.path, line: finding.line, commitSha: SHA, pushedBy: "dana-dev", ref: "main", prNumber: 3 };
  const sighted = { finding, location };
  const outputs = [
    renderIncidentIssue({ repo, finding, location, foundBy: "push", mentions: ["@acme/oncall"], verification: "active" }),
    renderSightingComment({ repo, locations: [location] }),
    renderReopenComment({ repo, locations: [location] }),
    renderPrSummary({
      repo,
      prNumber: 3,
      headSha: SHA,
      findings: [sighted],
      incomplete: ["part"],
      configErrors: ["bad"],
      incidents: new Map([[finding.fingerprint, 4]]),
    }),
    renderInlineComment(sighted),
    renderCheckRun({ repo, headSha: SHA, findings: [sighted], failOn: "high", incomplete: [], configErrors: [] }),
  ];
  return JSON.stringify(outputs);
}

const cases: Array<[string, () => string]> = [
  ["live secret key", () => fakeKey("sk", "live")],
  ["test secret key", () => fakeKey("sk", "test")],
  ["live restricted key", () => fakeKey("rk", "live")],
  ["webhook signing secret", () => fakeWebhookSecret()],
  ["live publishable key", () => fakeKey("pk", "live")],
  ["live organization key", () => ["sk", "org", "live", randomBody(150)].join("_")],
];

/** Every 12-character piece of `value`: none may appear, or a key could be pieced together. */
function pieces(value: string): string[] {
  return Array.from({ length: Math.max(0, value.length - 11) }, (_, start) => value.slice(start, start + 12));
}

describe("no renderer prints a raw key", () => {
  it.each(cases)("%s", (_name, build) => {
    const key = build();
    const finding = findKey(`STRIPE_KEY="${key}"\n`);
    expect(revealSecret(finding)).toBe(key);
    const output = everyOutput(finding);
    expect(output).toContain(finding.redacted);
    expect(output).not.toContain(key);
    // The redacted form shows the prefix and the last four characters; nothing longer of the body.
    for (const piece of pieces(key.slice(key.lastIndexOf("_") + 1))) expect(output).not.toContain(piece);
  });

  it("a base64-encoded key, in neither form", () => {
    const key = fakeKey("sk", "live");
    const encoded = Buffer.from(key).toString("base64");
    const finding = findKey(`secret: "${encoded}"\n`);
    expect(finding.encoding).toBe("base64");
    const output = everyOutput(finding);
    expect(output).not.toContain(key);
    for (const piece of pieces(encoded)) expect(output).not.toContain(piece);
  });
});
