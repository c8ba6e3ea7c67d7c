import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/scanner/index.js";
import type { PolicyFinding } from "../../src/policy/index.js";
import { formatJson } from "../../src/cli/format-json.js";
import { formatSarif, pathToUri, SARIF_FINGERPRINT_KEY } from "../../src/cli/format-sarif.js";
import { formatText } from "../../src/cli/format-text.js";
import type { ScanReport } from "../../src/cli/report.js";

const live: Finding = {
  ruleId: "stripe-secret-live",
  path: "src/pay ment.ts",
  line: 3,
  column: 15,
  endColumn: 122,
  kind: "secret",
  mode: "live",
  severity: "critical",
  redacted: "sk_live_…a1B2",
  fingerprint: "0123456789abcdef".repeat(4),
};
const webhook: Finding = {
  ruleId: "stripe-webhook-secret",
  path: "config/.env",
  line: 1,
  column: 1,
  endColumn: 40,
  kind: "webhook-secret",
  mode: "unknown",
  severity: "high",
  redacted: "whsec_…zz99",
  fingerprint: "f".repeat(64),
  encoding: "base64",
  commit: { sha: "c".repeat(40), author: "Ann", email: "ann@example.com", date: "2024-01-02T03:04:05Z" },
};
const sample: Finding = {
  ruleId: "stripe-publishable-test",
  path: "README.md",
  line: 9,
  column: 2,
  endColumn: 40,
  kind: "publishable",
  mode: "test",
  severity: "info",
  redacted: "pk_test_…TYooMQ",
  fingerprint: "e".repeat(64),
  note: "Stripe's publicly documented sample key",
};

function report(findings: PolicyFinding[], skipped: ScanReport["skipped"] = []): ScanReport {
  return {
    findings,
    stats: { files: 12, bytes: 3456, commits: 0, skipped: skipped.length, durationMs: 42 },
    skipped,
    suppressed: 0,
    ignored: 0,
  };
}

const full = report([{ finding: live }, { finding: webhook }, { finding: sample, allowed: { reason: "docs sample" } }], [{ path: "logo.zip", reason: "compressed archive (zip): not scanned" }]);

describe("JSON output", () => {
  it("has the documented, stable shape", () => {
    const parsed = JSON.parse(formatJson(full)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["findings", "stats", "skipped"]);
    expect(parsed["stats"]).toEqual({ files: 12, bytes: 3456, commits: 0, skipped: 1, durationMs: 42 });
    expect(parsed["skipped"]).toEqual([{ path: "logo.zip", reason: "compressed archive (zip): not scanned" }]);
    const findings = parsed["findings"] as Array<Record<string, unknown>>;
    expect(Object.keys(findings[0]!)).toEqual(["ruleId", "path", "line", "column", "endColumn", "kind", "mode", "severity", "redacted", "fingerprint"]);
    expect(findings[1]).toMatchObject({ encoding: "base64", commit: { sha: "c".repeat(40), author: "Ann", email: "ann@example.com", date: "2024-01-02T03:04:05Z" } });
    expect(findings[2]).toMatchObject({ note: "Stripe's publicly documented sample key", allowed: { reason: "docs sample" } });
  });

  it("carries no property beyond the documented ones, even if a finding object has extras", () => {
    const withExtra = { ...live, secret: "must-not-appear" } as Finding;
    expect(formatJson(report([{ finding: withExtra }]))).not.toContain("must-not-appear");
  });
});

describe("SARIF output", () => {
  const sarif = JSON.parse(formatSarif(full, "1.2.3")) as {
    version: string;
    runs: Array<{
      tool: { driver: { name: string; version: string; rules: Array<{ id: string; defaultConfiguration: { level: string }; properties: Record<string, unknown> }> } };
      results: Array<Record<string, unknown> & { locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }> }>;
      invocations: Array<{ toolExecutionNotifications: unknown[] }>;
    }>;
  };
  const run = sarif.runs[0]!;

  it("is SARIF 2.1.0 with one rule per rule id, carrying a security severity", () => {
    expect(sarif.version).toBe("2.1.0");
    expect(run.tool.driver).toMatchObject({ name: "stripe-leak-guard", version: "1.2.3" });
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(["stripe-secret-live", "stripe-webhook-secret", "stripe-publishable-test"]);
    expect(run.tool.driver.rules[0]).toMatchObject({ defaultConfiguration: { level: "error" }, properties: { "security-severity": "9.5" } });
    expect(run.tool.driver.rules[2]).toMatchObject({ defaultConfiguration: { level: "note" } });
  });

  it("gives each result its region, rule index and our fingerprint as the partial fingerprint", () => {
    const [first, second, third] = run.results;
    expect(first).toMatchObject({ ruleId: "stripe-secret-live", ruleIndex: 0, level: "error", partialFingerprints: { [SARIF_FINGERPRINT_KEY]: live.fingerprint } });
    expect(first!.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: "src/pay%20ment.ts", uriBaseId: "%SRCROOT%" },
      region: { startLine: 3, startColumn: 15, endColumn: 122 },
    });
    expect(String((second!["message"] as { text: string }).text)).toContain(`commit ${"c".repeat(12)}`);
    expect(third!["suppressions"]).toEqual([{ kind: "external", justification: "docs sample" }]);
  });

  it("reports skipped items as tool notifications", () => {
    expect(run.invocations[0]!.toolExecutionNotifications).toHaveLength(1);
  });

  it("encodes paths as relative URI references", () => {
    expect(pathToUri("a b/c#d.ts")).toBe("a%20b/c%23d.ts");
  });
});

describe("text output", () => {
  it("shows location, severity, kind, redacted key, short fingerprint, commit, note and allowance", () => {
    const text = formatText(full, { color: false, failOn: "high" });
    expect(text).toContain("src/pay ment.ts:3:15");
    expect(text).toMatch(/critical\s+live secret key\s+sk_live_…a1B2\s+fp 0123456789ab/);
    expect(text).toContain("webhook signing secret (base64-encoded)");
    expect(text).toContain(`commit ${"c".repeat(12)}  Ann <ann@example.com>  2024-01-02T03:04:05Z`);
    expect(text).toContain("note: Stripe's publicly documented sample key");
    expect(text).toContain("allowed by config: docs sample");
    expect(text).toContain("3 Stripe key findings (1 critical, 1 high, 1 info; 2 at or above high)");
    expect(text).toContain("INCOMPLETE: 1 item was not scanned:\n  logo.zip: compressed archive (zip): not scanned");
  });

  it("says clean only when nothing was skipped", () => {
    expect(formatText(report([]), { color: false, failOn: "high" })).toMatch(/^No Stripe keys found \(12 files, 3\.4 KiB in 0\.04 s\)\.\n$/);
    const incomplete = formatText(report([], [{ path: "big.sql", reason: "larger than 100 MiB (--max-file-size)" }]), { color: false, failOn: "high" });
    expect(incomplete).toContain("but the scan is incomplete");
    expect(incomplete).toContain("big.sql: larger than 100 MiB");
  });

  it("uses colour only when asked", () => {
    expect(formatText(full, { color: true, failOn: "high" })).toContain("\x1b[");
    expect(formatText(full, { color: false, failOn: "high" })).not.toContain("\x1b[");
  });
});

describe("findings in binary files", () => {
  const binaryReport: ScanReport = { ...report([{ finding: live }, { finding: sample }]), binaryFiles: new Set([live.path]) };

  it("are marked binary: true in JSON, and only they", () => {
    const findings = (JSON.parse(formatJson(binaryReport)) as { findings: Array<Record<string, unknown>> }).findings;
    expect(findings[0]).toMatchObject({ path: live.path, binary: true });
    expect(Object.keys(findings[0]!)).toEqual(["ruleId", "path", "line", "column", "endColumn", "kind", "mode", "severity", "redacted", "fingerprint", "binary"]);
    expect(findings[1]).not.toHaveProperty("binary");
  });

  it("say so in the text and SARIF outputs", () => {
    const text = formatText(binaryReport, { color: false, failOn: "high" });
    expect(text).toMatch(/live secret key \(in binary file\)\s+sk_live_…a1B2/);
    expect(text.match(/in binary file/g)).toHaveLength(1);
    const sarif = JSON.parse(formatSarif(binaryReport, "1.0.0")) as { runs: Array<{ results: Array<{ message: { text: string }; properties: Record<string, unknown> }> }> };
    const [first, second] = sarif.runs[0]!.results;
    expect(first!.properties["binary"]).toBe(true);
    expect(first!.message.text).toContain("found in a binary file");
    expect(second!.properties).not.toHaveProperty("binary");
  });

  it("never applies to history findings, whose path may name a file that is binary in the working tree", () => {
    const history: ScanReport = { ...report([{ finding: webhook }]), binaryFiles: new Set([webhook.path]) };
    expect(formatText(history, { color: false, failOn: "high" })).not.toContain("in binary file");
  });
});
