import { describe, expect, it } from "vitest";
import { parseRepoConfig } from "../../src/config/repo-config.js";
import { attachSecret } from "../../src/scanner/secret.js";
import { revealSecret, type Finding } from "../../src/scanner/index.js";
import { applyPolicy, compilePolicy, normalizeRepoPath } from "../../src/policy/index.js";

function finding(overrides: Partial<Finding>): Finding {
  return {
    ruleId: "stripe-secret-live",
    path: "src/app.ts",
    line: 1,
    column: 1,
    endColumn: 20,
    kind: "secret",
    mode: "live",
    severity: "critical",
    redacted: "sk_live_…abcd",
    fingerprint: "a".repeat(64),
    ...overrides,
  };
}

function policyFrom(raw: unknown) {
  const { config, errors } = parseRepoConfig(raw);
  expect(errors).toEqual([]);
  return compilePolicy(config);
}

describe("compilePolicy", () => {
  it("matches ignored paths with picomatch globs, dotfiles included", () => {
    const policy = policyFrom({ paths: { ignore: ["test/fixtures/**", "**/*.snap", "docs/*.md"] } });
    expect(policy.isPathIgnored("test/fixtures/a/b.json")).toBe(true);
    expect(policy.isPathIgnored("test/fixtures/.env")).toBe(true);
    expect(policy.isPathIgnored("src/__snapshots__/x.snap")).toBe(true);
    expect(policy.isPathIgnored("./docs/cli.md")).toBe(true);
    expect(policy.isPathIgnored("docs/deep/cli.md")).toBe(false);
    expect(policy.isPathIgnored("src/app.ts")).toBe(false);
  });

  it("ignores nothing by default", () => {
    const policy = policyFrom(undefined);
    expect(policy.isPathIgnored("anything/at/all.env")).toBe(false);
    expect(policy.allowanceFor("a".repeat(64))).toBeUndefined();
  });

  it("accepts a fingerprint by its full value or a prefix of 12 or more characters", () => {
    const policy = policyFrom({ allow: [{ fingerprint: "abcdef012345", reason: "documented sample" }] });
    expect(policy.allowanceFor("abcdef012345" + "0".repeat(52))?.reason).toBe("documented sample");
    expect(policy.allowanceFor("bbcdef012345" + "0".repeat(52))).toBeUndefined();
  });
});

describe("normalizeRepoPath", () => {
  it("uses forward slashes without a leading ./ or /", () => {
    expect(normalizeRepoPath(".\\src\\a.ts")).toBe("src/a.ts");
    expect(normalizeRepoPath("/src/a.ts")).toBe("src/a.ts");
    expect(normalizeRepoPath("././src/a.ts")).toBe("src/a.ts");
  });
});

describe("applyPolicy", () => {
  const allowedFp = "1".repeat(64);
  const policy = policyFrom({ paths: { ignore: ["fixtures/**"] }, allow: [{ fingerprint: "1".repeat(16), reason: "test key in docs" }] });

  it("drops findings in ignored paths", () => {
    const result = applyPolicy([finding({ path: "fixtures/a.txt" }), finding({})], policy);
    expect(result.ignored).toHaveLength(1);
    expect(result.reported).toHaveLength(1);
  });

  it("suppresses allowed test and publishable keys, with the reason", () => {
    const test = finding({ mode: "test", severity: "low", fingerprint: allowedFp });
    const publishable = finding({ kind: "publishable", mode: "live", severity: "info", fingerprint: allowedFp });
    const result = applyPolicy([test, publishable], policy);
    expect(result.reported).toEqual([]);
    expect(result.suppressed.map((entry) => entry.allowed?.reason)).toEqual(["test key in docs", "test key in docs"]);
  });

  it("keeps allowed live secret and restricted keys visible, marked as allowed", () => {
    const live = [
      finding({ fingerprint: allowedFp }),
      finding({ kind: "restricted", fingerprint: allowedFp }),
      finding({ kind: "org-secret", fingerprint: allowedFp }),
    ];
    const result = applyPolicy(live, policy);
    expect(result.suppressed).toEqual([]);
    expect(result.reported.map((entry) => entry.allowed)).toEqual(Array(3).fill({ reason: "test key in docs" }));
  });

  it("wraps findings without copying them, so revealSecret still works", () => {
    const original = attachSecret(finding({}), "raw-key-in-memory");
    const [entry] = applyPolicy([original], policy).reported;
    expect(entry?.finding).toBe(original);
    expect(revealSecret(entry!.finding)).toBe("raw-key-in-memory");
  });
});
