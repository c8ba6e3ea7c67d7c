/*
 * Every environment variable the code reads is documented for operators, in
 * docs/configuration.md (generated from envSchema, plus Probot's own
 * variables) or docs/operations.md. The list is collected from the sources at
 * test time, so a new `process.env.X` or `env.X` without docs fails here.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { envSchema } from "../../src/config/env.js";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const DOCS = ["docs/configuration.md", "docs/operations.md"];

/**
 * Read by Probot, not by our code: src/probot/from-env.ts hands the whole
 * environment to Probot's createProbot, which reads these.
 */
const READ_BY_PROBOT = ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET", "WEBHOOK_PATH", "GHE_HOST", "GHE_PROTOCOL"];

/** Read by the code but deliberately not in the operator docs, each with its reason. */
const EXCEPTIONS: Record<string, string> = {
  NO_COLOR: "the cross-tool convention (no-color.org) the CLI honours; documented with the CLI in docs/cli.md",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs|cjs)$/.test(entry) ? [path] : [];
  });
}

/** Names read as process.env.X, process.env["X"], env.X or env["X"] (assignments, which set a child's env, excluded). */
function variablesReadBy(text: string): string[] {
  const names: string[] = [];
  const pattern = /\benv(?:\.([A-Z][A-Z0-9_]*)|\[["']([A-Z][A-Z0-9_]*)["']\])(\s*=(?!=))?/g;
  for (const match of text.matchAll(pattern)) {
    if (match[3]) continue;
    names.push((match[1] ?? match[2]) as string);
  }
  return names;
}

function collect(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const note = (name: string, where: string) => found.set(name, (found.get(name) ?? new Set()).add(where));
  for (const file of sourceFiles(join(REPO, "src"))) {
    for (const name of variablesReadBy(readFileSync(file, "utf8"))) note(name, relative(REPO, file));
  }
  for (const name of Object.keys(envSchema.shape)) note(name, "src/config/env.ts (envSchema)");
  for (const name of READ_BY_PROBOT) note(name, "Probot (src/probot/from-env.ts)");
  // The image's own environment and healthcheck, and what docker-compose.yml sets.
  const dockerfile = readFileSync(join(REPO, "Dockerfile"), "utf8");
  for (const name of variablesReadBy(dockerfile)) note(name, "Dockerfile HEALTHCHECK");
  for (const match of dockerfile.matchAll(/^\s*(?:ENV\s+)?([A-Z][A-Z0-9_]*)=/gm)) note(match[1] as string, "Dockerfile ENV");
  const compose = readFileSync(join(REPO, "docker-compose.yml"), "utf8");
  for (const match of compose.matchAll(/^\s{6}([A-Z][A-Z0-9_]*):/gm)) note(match[1] as string, "docker-compose.yml");
  return found;
}

describe("environment variable documentation", () => {
  const variables = collect();
  const docs = DOCS.map((path) => readFileSync(join(REPO, path), "utf8")).join("\n");

  it("finds the variables the code reads (the collector works)", () => {
    for (const known of ["REDIS_URL", "LOG_LEVEL", "ADMIN_TOKEN", "METRICS_PORT", "APP_ID", "HEALTHCHECK_PORT"]) {
      expect([...variables.keys()]).toContain(known);
    }
    expect(variablesReadBy("child.env.GIT_X = '1'; const a = process.env.A_B; b = env['C']; if (env.D == 1) {}")).toEqual(["A_B", "C", "D"]);
  });

  it("documents every one of them in docs/configuration.md or docs/operations.md", () => {
    const undocumented = [...variables.entries()]
      .filter(([name]) => !(name in EXCEPTIONS) && !new RegExp(`\\b${name}\\b`).test(docs))
      .map(([name, where]) => `${name} (read in ${[...where].join(", ")})`);
    expect(undocumented, `document these in ${DOCS.join(" or ")}, or list them in EXCEPTIONS with a reason`).toEqual([]);
  });

  it("keeps its exceptions honest: each is still read, and is documented where its reason says", () => {
    for (const [name, reason] of Object.entries(EXCEPTIONS)) {
      expect(variables.has(name), `${name} is no longer read; drop it from EXCEPTIONS`).toBe(true);
      const where = /docs\/[a-z-]+\.md/.exec(reason)?.[0];
      if (where) expect(readFileSync(join(REPO, where), "utf8")).toMatch(new RegExp(`\\b${name}\\b`));
    }
  });
});
