import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseRepoConfig } from "../../src/config/repo-config.js";
import { COMMENT_LIMIT, SUMMARY_MARKER, renderPrSummary } from "../../src/render/index.js";
import type { PrSummaryInput, SightedFinding } from "../../src/render/index.js";
import { SHA, fingerprint, repo, sighted } from "./fixtures.js";

function summary(overrides: Partial<PrSummaryInput> = {}): string {
  return renderPrSummary({
    repo,
    prNumber: 5,
    headSha: SHA,
    findings: [],
    incomplete: [],
    configErrors: [],
    incidents: new Map(),
    ...overrides,
  });
}

function tableRows(markdown: string): string[] {
  return markdown.split("\n").filter((line) => line.startsWith("| **"));
}

describe("renderPrSummary status", () => {
  it("starts with the summary marker", () => {
    expect(summary().startsWith(SUMMARY_MARKER)).toBe(true);
    expect(summary({ findings: [sighted()] }).startsWith(SUMMARY_MARKER)).toBe(true);
  });

  it("says clean only for a complete scan with no findings", () => {
    const clean = summary();
    expect(clean).toMatch(/No Stripe keys found/);
    expect(clean).toMatch(/clean/);
    expect(clean).toContain(`/commit/${SHA}`);
  });

  it("never says clean when the scan is incomplete, and lists what was not covered", () => {
    const out = summary({ incomplete: ["3,000-file limit: files after the first 3,000 were not scanned", "big.bin: no patch"] });
    expect(out).not.toMatch(/clean/i);
    expect(out).toMatch(/Incomplete scan/);
    expect(out).toContain("- 3,000-file limit: files after the first 3,000 were not scanned");
    expect(out).toContain("- big.bin: no patch");
  });

  it("caps a huge list of uncovered parts and stays within GitHub's comment limit", () => {
    const incomplete = Array.from({ length: 3000 }, (_, i) => `${"deep/".repeat(100)}file${i}.bin: GitHub left out the patch`);
    const out = summary({ incomplete, configErrors: Array.from({ length: 80 }, (_, i) => `field${i}: bad`) });
    expect(out.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(out.startsWith(SUMMARY_MARKER)).toBe(true);
    expect(out).toContain("…and 2950 more parts not covered");
    expect(out).toContain("…and 30 more problems");
    expect(out).not.toMatch(/clean/i);
  });

  it("reports findings and incompleteness together", () => {
    const out = summary({ findings: [sighted()], incomplete: ["x"] });
    expect(out).toMatch(/1 Stripe key found/);
    expect(out).toMatch(/Incomplete scan/);
    expect(out).not.toMatch(/clean/i);
  });

  it("shows config errors as a config error section that says the defaults were applied", () => {
    const out = summary({ configErrors: ["allow.0.fingerprint: a fingerprint is 12 to 64 lowercase hex characters"] });
    expect(out).toMatch(/Config error in `\.github\/stripe-leak-guard\.yml`/);
    expect(out).toMatch(/the defaults were applied/);
    expect(out).toContain("- allow.0.fingerprint: a fingerprint is 12 to 64 lowercase hex characters");
  });
});

describe("renderPrSummary findings", () => {
  const live = sighted({ kind: "secret", mode: "live", path: "app/pay.rb", line: 3 });
  const test = sighted({ kind: "secret", mode: "test", severity: "low", path: "spec/a.rb", line: 9 });
  const hook = sighted({ kind: "webhook-secret", path: "deploy/.env", line: 1, redacted: "whsec_…9fKe" });

  it("tables findings most severe first, with permalinks and incident links", () => {
    const out = summary({ findings: [test, hook, live], incidents: new Map([[live.finding.fingerprint, 17]]) });
    const rows = tableRows(out);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain("**critical**");
    expect(rows[0]).toContain("`sk_live_…a1B2`");
    expect(rows[0]).toContain(`[\`app/pay.rb:3\`](https://github.com/octo/shop/blob/${SHA}/app/pay.rb#L3)`);
    expect(rows[0]).toContain("[#17](https://github.com/octo/shop/issues/17)");
    expect(rows[2]).toContain("**low**");
    expect(rows[2]).toContain("| — |");
  });

  it("gives short, kind-specific advice", () => {
    const out = summary({ findings: [test, hook, live] });
    const todo = out.slice(out.indexOf("### What to do now"));
    expect(todo).toContain("https://dashboard.stripe.com/apikeys");
    expect(todo).toContain("https://dashboard.stripe.com/test/apikeys");
    expect(todo).toContain("STRIPE_WEBHOOK_SECRET");
  });

  it("caps the table at 50 rows and says how many more there are", () => {
    const findings: SightedFinding[] = Array.from({ length: 73 }, (_, i) =>
      sighted({ path: `f${String(i).padStart(3, "0")}.rb`, fingerprint: fingerprint(`many-${i}`) }),
    );
    const out = summary({ findings });
    expect(tableRows(out)).toHaveLength(50);
    expect(out).toContain("…and 23 more findings not shown.");
    expect(out.length).toBeLessThan(65_536);
  });

  it("gives YAML for allowing each key that is valid for the repo config schema", () => {
    const out = summary({ findings: [live, test, hook] });
    const yaml = /```yaml\n([\s\S]*?)```/.exec(out)?.[1];
    expect(yaml).toBeDefined();
    const config = parseRepoConfig(parse(yaml ?? ""));
    expect(config.errors).toEqual([]);
    expect(config.config.allow.map((entry) => entry.fingerprint)).toEqual([
      live.finding.fingerprint,
      hook.finding.fingerprint,
      test.finding.fingerprint,
    ]);
    expect(config.config.allow.every((entry) => entry.reason.length > 0)).toBe(true);
  });

  it("marks allowed findings and leaves them out of the advice and the allow YAML", () => {
    const allowed: SightedFinding = { ...test, allowedReason: "fixture for the billing specs" };
    const out = summary({ findings: [live, allowed] });
    expect(out).toContain("(allowed: fixture for the billing specs)");
    expect(out).not.toContain("https://dashboard.stripe.com/test/apikeys");
    expect(out).not.toContain(`fingerprint: ${test.finding.fingerprint}`);
  });
});
