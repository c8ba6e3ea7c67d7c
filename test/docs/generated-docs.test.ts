import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { defaultRepoConfig, parseRepoConfig } from "../../src/config/repo-config.js";
import { exampleRepoConfig } from "../../scripts/docs/configuration.js";
import { generateDocs } from "../../scripts/docs/generate.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const generated = generateDocs();

function committed(path: string): string | undefined {
  try {
    return readFileSync(join(root, path), "utf8");
  } catch {
    return undefined;
  }
}

describe("generated docs are current", () => {
  it("covers the examples, the configuration reference and the JSON schema", () => {
    expect(Object.keys(generated).sort()).toEqual([
      "docs/configuration.md",
      "docs/examples/README.md",
      "docs/examples/check-run.md",
      "docs/examples/incident-issue-test-key.md",
      "docs/examples/incident-issue-webhook-secret.md",
      "docs/examples/incident-issue.md",
      "docs/examples/inline-comment.md",
      "docs/examples/pr-summary-incomplete.md",
      "docs/examples/pr-summary.md",
      "schema/repo-config.schema.json",
    ]);
  });

  it.each(Object.keys(generated))("%s matches the render code and the schemas", (path) => {
    const onDisk = committed(path);
    expect(onDisk, `${path} is missing. Run \`npm run docs:generate\` and commit the result.`).toBeDefined();
    const fresh = generated[path] ?? "";
    const was = (onDisk ?? "").split("\n");
    const now = fresh.split("\n");
    const line = now.findIndex((text, index) => text !== was[index]);
    const hint = line >= 0 ? ` First difference at line ${line + 1}: expected ${JSON.stringify(now[line]?.slice(0, 120))}.` : "";
    expect(onDisk === fresh, `${path} is out of date. Run \`npm run docs:generate\` and commit the result.${hint}`).toBe(true);
  });
});

describe("generated content", () => {
  it("indexes every example page", () => {
    const index = generated["docs/examples/README.md"] ?? "";
    for (const path of Object.keys(generated).filter((name) => name.startsWith("docs/examples/") && !name.endsWith("README.md"))) {
      const file = path.slice("docs/examples/".length);
      expect(index).toContain(`(${file})`);
    }
  });

  it("never contains a key-shaped string", () => {
    for (const content of Object.values(generated)) {
      expect(content).not.toMatch(/(sk|rk|pk)_(live|test)_[A-Za-z0-9]{12,}|whsec_[A-Za-z0-9]{20,}|sk_org_\w*[A-Za-z0-9]{12,}/);
    }
  });

  it("documents every repo config field and every environment variable", () => {
    const doc = generated["docs/configuration.md"] ?? "";
    for (const [section, value] of Object.entries(defaultRepoConfig)) {
      expect(doc).toContain(`### \`${section}\``);
      if (value && typeof value === "object" && !Array.isArray(value)) {
        for (const field of Object.keys(value)) expect(doc).toContain(`\`${section}.${field}\``);
      }
    }
    expect(doc).toContain("`allow[].fingerprint`");
    expect(doc).toContain("`STRIPE_LEAK_GUARD_PEPPER`");
    expect(doc).toContain("`REDIS_URL`");
  });

  it("shows the defaults as YAML that parses back to the defaults", () => {
    const doc = generated["docs/configuration.md"] ?? "";
    const defaults = /A missing file behaves exactly like this one:\n\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(parseRepoConfig(parse(defaults ?? "")).config).toEqual(defaultRepoConfig);
  });

  it("shows an example config that is valid", () => {
    const result = parseRepoConfig(parse(exampleRepoConfig()));
    expect(result.errors).toEqual([]);
    expect(result.config.check.failOn).toBe("medium");
  });

  it("writes a JSON schema that accepts the defaults and rejects unknown keys", () => {
    const schema = JSON.parse(generated["schema/repo-config.schema.json"] ?? "{}") as {
      additionalProperties?: boolean;
      properties?: Record<string, unknown>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(Object.keys(defaultRepoConfig).sort());
  });
});
