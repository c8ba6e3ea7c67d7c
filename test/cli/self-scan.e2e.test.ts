import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseJson, scan } from "./cli-harness.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

describe("self-scan", () => {
  it("finds nothing in this repository and covers every file, binaries included (node_modules and lib are gitignored)", async () => {
    const result = await scan([".", "-f", "json", "--fail-on", "info"], { cwd: repoRoot });
    const report = parseJson(result);
    expect(report.findings.map((f) => `${f.path}:${f.line} ${f.ruleId}`)).toEqual([]);
    expect(result.code).toBe(0);
    expect(report.stats.files).toBeGreaterThan(20);
    // Complete: images such as docs/dashboard.png are scanned as bytes, so nothing is left out.
    expect(report.skipped).toEqual([]);
    expect(report.stats.skipped).toBe(0);
    const text = await scan(["."], { cwd: repoRoot });
    expect(text.stdout).toMatch(/^No Stripe keys found \(/);
    expect(text.stdout).not.toContain("INCOMPLETE");
  }, 60_000);
});
