import { describe, expect, it } from "vitest";
import { CHECK_OUTPUT_LIMIT, renderCheckRun } from "../../src/render/index.js";
import type { CheckRunInput, SightedFinding } from "../../src/render/index.js";
import type { Severity } from "../../src/scanner/index.js";
import { SHA, fingerprint, repo, sighted } from "./fixtures.js";

function run(overrides: Partial<CheckRunInput> = {}) {
  return renderCheckRun({ repo, headSha: SHA, findings: [], failOn: "high", incomplete: [], configErrors: [], ...overrides });
}

function at(severity: Severity): SightedFinding {
  return sighted({ severity, fingerprint: fingerprint(`sev-${severity}`) });
}

describe("renderCheckRun conclusion", () => {
  it("succeeds only when the scan is clean and complete", () => {
    const result = run();
    expect(result.conclusion).toBe("success");
    expect(result.title).toBe("No Stripe keys found");
  });

  it("fails when any finding is at or above failOn", () => {
    expect(run({ findings: [at("high")] }).conclusion).toBe("failure");
    expect(run({ findings: [at("low"), at("critical")] }).conclusion).toBe("failure");
    expect(run({ findings: [at("info")], failOn: "info" }).conclusion).toBe("failure");
  });

  it("is neutral for findings below failOn", () => {
    const result = run({ findings: [at("medium"), at("info")] });
    expect(result.conclusion).toBe("neutral");
    expect(result.title).toMatch(/below the failure threshold/);
  });

  it("is neutral, never success, for an incomplete scan or a config error", () => {
    const incomplete = run({ incomplete: ["compare: the 300-file page limit was reached"] });
    expect(incomplete.conclusion).toBe("neutral");
    expect(incomplete.title).toMatch(/Incomplete/);
    expect(incomplete.summary).not.toMatch(/clean|passed/i);
    expect(incomplete.summary).toContain("compare: the 300-file page limit was reached");

    const config = run({ configErrors: ["check.failOn: invalid option"] });
    expect(config.conclusion).toBe("neutral");
    expect(config.title).toMatch(/config error/);
    expect(config.summary).toMatch(/the defaults were applied/);
  });

  it("still fails on a blocking finding when the scan was also incomplete", () => {
    const result = run({ findings: [at("critical")], incomplete: ["x"] });
    expect(result.conclusion).toBe("failure");
    expect(result.title).toMatch(/incomplete/);
  });

  it("does not fail on allowed findings", () => {
    const allowed: SightedFinding = { ...at("critical"), allowedReason: "documented sample" };
    expect(run({ findings: [allowed] }).conclusion).toBe("neutral");
  });
});

describe("renderCheckRun annotations", () => {
  it("annotates every finding on its line, with single-line columns", () => {
    const input = sighted({ path: "app/pay.rb", line: 12, column: 24, endColumn: 131 });
    const [annotation] = run({ findings: [input] }).annotations;
    expect(annotation).toEqual({
      path: "app/pay.rb",
      start_line: 12,
      end_line: 12,
      start_column: 24,
      end_column: 131,
      annotation_level: "failure",
      title: "Stripe live secret key sk_live_…a1B2",
      message: expect.stringContaining("https://dashboard.stripe.com/apikeys") as string,
    });
  });

  it("leaves out columns when the finding's line differs from the annotated line", () => {
    const input = sighted({ line: 5 }, { line: 6 });
    const [annotation] = run({ findings: [input] }).annotations;
    expect(annotation?.start_line).toBe(6);
    expect(annotation).not.toHaveProperty("start_column");
    expect(annotation).not.toHaveProperty("end_column");
  });

  it("sets the level by severity against failOn: failure, warning, notice", () => {
    const findings = [at("critical"), at("high"), at("medium"), at("low"), at("info")];
    const levels = run({ findings, failOn: "high" }).annotations.map((annotation) => annotation.annotation_level);
    expect(levels).toEqual(["failure", "failure", "warning", "warning", "notice"]);
    const allowed = run({ findings: [{ ...at("critical"), allowedReason: "ok" }] }).annotations[0];
    expect(allowed?.annotation_level).toBe("notice");
    expect(allowed?.message).toContain("Allowed by the repository config: ok");
  });

  it("uses plain text in annotation messages (GitHub does not render Markdown there)", () => {
    const [annotation] = run({ findings: [sighted()] }).annotations;
    expect(annotation?.message).not.toMatch(/\]\(/);
  });

  it("returns all annotations, however many, for the GitHub module to batch", () => {
    const findings = Array.from({ length: 237 }, (_, i) => sighted({ line: i + 1, fingerprint: fingerprint(`n${i}`) }));
    expect(run({ findings }).annotations).toHaveLength(237);
  });
});

describe("renderCheckRun output size", () => {
  it("keeps summary and text under GitHub's limit however long the input", () => {
    const longPath = `${"very-long-directory-name/".repeat(40)}file.rb`;
    const findings = Array.from({ length: 400 }, (_, i) =>
      sighted({ path: `${longPath}${i}`, fingerprint: fingerprint(`long${i}`) }),
    );
    const incomplete = Array.from({ length: 3000 }, (_, i) => `${longPath}${i}: GitHub left out the patch`);
    const result = run({ findings, incomplete });
    expect(result.summary.length).toBeLessThanOrEqual(CHECK_OUTPUT_LIMIT);
    expect(result.summary).toMatch(/truncated/);
    expect(result.text?.length ?? 0).toBeLessThanOrEqual(CHECK_OUTPUT_LIMIT);
    expect(result.annotations).toHaveLength(400);
  });
});
