import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/scanner/index.js";
import { fingerprintKey, revealSecret, scanText } from "../../src/scanner/index.js";
import { attachSecret } from "../../src/scanner/secret.js";
import {
  renderCheckRun,
  renderIncidentIssue,
  renderInlineComment,
  renderPrSummary,
  renderReopenComment,
  renderSightingComment,
} from "../../src/render/index.js";
import { fakeKey, fakeWebhookSecret } from "../helpers/fake-keys.js";
import { SHA, repo } from "./fixtures.js";

const PEPPER = "render-canary-pepper-0123456789";

/*
 * The canary: a key the engine found must not come out of any renderer. The
 * finding comes from the engine when it is available; until then it is built
 * the way the engine builds it, with the key attached out of band.
 */
function findKey(key: string, kind: Finding["kind"], mode: Finding["mode"]): Finding {
  const text = `STRIPE_KEY="${key}"\n`;
  try {
    const found = scanText(text, { path: "config/.env", pepper: PEPPER });
    if (found[0]) return found[0];
  } catch {
    // The engine is not implemented yet: fall through to a hand-built finding.
  }
  const prefix = key.slice(0, key.lastIndexOf("_") + 1);
  const finding: Finding = {
    ruleId: `stripe-${kind}`,
    path: "config/.env",
    line: 1,
    column: 13,
    endColumn: 13 + key.length,
    kind,
    mode,
    severity: mode === "test" ? "low" : "critical",
    redacted: `${prefix}…${key.slice(-4)}`,
    fingerprint: fingerprintKey(key, PEPPER),
  };
  return attachSecret(finding, key);
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

const cases: Array<[string, () => string, Finding["kind"], Finding["mode"]]> = [
  ["live secret key", () => fakeKey("sk", "live"), "secret", "live"],
  ["test secret key", () => fakeKey("sk", "test"), "secret", "test"],
  ["live restricted key", () => fakeKey("rk", "live"), "restricted", "live"],
  ["webhook signing secret", () => fakeWebhookSecret(), "webhook-secret", "unknown"],
  ["live publishable key", () => fakeKey("pk", "live"), "publishable", "live"],
];

describe("no renderer prints a raw key", () => {
  it.each(cases)("%s", (_name, build, kind, mode) => {
    const key = build();
    const finding = findKey(key, kind, mode);
    expect(revealSecret(finding)).toBe(key);
    const output = everyOutput(finding);
    expect(output).not.toContain(key);
    // Nor any 12-character piece of its random body (the redacted form shows only the last four).
    const body = key.slice(key.lastIndexOf("_") + 1);
    for (let start = 0; start + 12 <= body.length; start++) {
      expect(output).not.toContain(body.slice(start, start + 12));
    }
    expect(output).toContain(finding.redacted);
  });
});
