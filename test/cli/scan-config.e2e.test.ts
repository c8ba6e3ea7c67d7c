import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeKey } from "../helpers/fake-keys.js";
import { parseJson, scan, tempDir } from "./cli-harness.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir("slg-cli-config-");
});
afterEach(() => tmp.cleanup());

async function fingerprintOf(path: string): Promise<string> {
  const report = parseJson(await scan([path, "-f", "json"], { cwd: tmp.dir }));
  return report.findings[0]!.fingerprint;
}

describe("--config and .github/stripe-leak-guard.yml", () => {
  it("ignores paths and accepts allowed fingerprints, with the reason", async () => {
    tmp.put("fixtures/sample.env", `K=${fakeKey("sk", "live")}\n`);
    tmp.put("docs/test-key.md", `Use ${fakeKey("sk", "test")} in tests\n`);
    tmp.put("src/live.js", `k("${fakeKey("sk", "live")}")\n`);
    const testFp = await fingerprintOf("docs/test-key.md");
    const liveFp = await fingerprintOf("src/live.js");
    tmp.put(
      "policy.yml",
      `paths:\n  ignore: ["fixtures/**"]\nallow:\n  - fingerprint: ${testFp.slice(0, 16)}\n    reason: shared test key\n  - fingerprint: ${liveFp}\n    reason: revoked in 2023\n`,
    );

    const result = await scan([".", "--config", "policy.yml", "-f", "json", "--fail-on", "low"], { cwd: tmp.dir });
    const report = parseJson(result);
    // The allowed test key is hidden; the allowed live key stays visible, marked, and does not fail the scan.
    expect(report.findings.map((f) => [f.path, f.allowed?.reason])).toEqual([["src/live.js", "revoked in 2023"]]);
    expect(result.code).toBe(0);

    const text = await scan([".", "--config", "policy.yml"], { cwd: tmp.dir });
    expect(text.stdout).toContain("allowed by config: revoked in 2023");
    expect(text.stdout).toContain("Not shown: 1 finding accepted by the config's allow list.");
    expect(text.stdout).toContain("Config: policy.yml");
  });

  it("uses the scanned root's .github/stripe-leak-guard.yml when no --config is given", async () => {
    tmp.put("repo/vendor/lib.js", `x="${fakeKey("sk", "live")}"\n`);
    tmp.put("repo/.github/stripe-leak-guard.yml", "paths:\n  ignore:\n    - vendor/**\n");
    const result = await scan(["repo"], { cwd: tmp.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Config: repo/.github/stripe-leak-guard.yml");
    // The ignored file is not even read.
    expect(parseJson(await scan(["repo", "-f", "json"], { cwd: tmp.dir })).stats.files).toBe(1);
  });

  it.each([
    ["not: [valid", /config file bad\.yml is not valid YAML: /],
    ["paths:\n  ignore: nope\n", /config file bad\.yml is invalid:\n {2}paths\.ignore: /],
    ["rotation:\n  url: https://example.com\n", /config file bad\.yml is invalid:\n {2}\(top level\): .*rotation/],
    ["allow:\n  - fingerprint: XYZ\n    reason: x\n", /allow\.0\.fingerprint: a fingerprint is 12 to 64 lowercase hex characters/],
  ])("rejects bad config %j with exit 2", async (content, message) => {
    tmp.put("bad.yml", content);
    tmp.put("a.txt", "x\n");
    const result = await scan([".", "--config", "bad.yml"], { cwd: tmp.dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
  });

  it("rejects a bad discovered config too", async () => {
    tmp.put(".github/stripe-leak-guard.yml", "paths: 3\n");
    const result = await scan(["."], { cwd: tmp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("config file .github/stripe-leak-guard.yml is invalid");
  });
});

describe("the discovered config path", () => {
  it("is the App's REPO_CONFIG_PATH", async () => {
    const { REPO_CONFIG_PATH } = await import("../../src/config/repo-config.js");
    const { DISCOVERED_CONFIG_PATH } = await import("../../src/cli/load-config.js");
    expect(DISCOVERED_CONFIG_PATH).toBe(REPO_CONFIG_PATH);
  });
});

describe("_extends", () => {
  it("is left to the App: the CLI says so and uses the file's own settings", async () => {
    tmp.put(".github/stripe-leak-guard.yml", "_extends: .github\npaths:\n  ignore: [vendor/**]\n");
    tmp.put("vendor/x.js", `k="${fakeKey("sk", "live")}"\n`);
    const result = await scan(["."], { cwd: tmp.dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("_extends (.github) is followed by the GitHub App only");
  });
});
