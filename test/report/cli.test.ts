/**
 * `stripe-leak-guard report`, end to end against nock: the App authenticates
 * with its own key (generated per run), exchanges it for the installation's
 * token, lists the repositories and their incidents, and prints the report.
 * GitHub Enterprise Server is reached through GHE_HOST, as Probot does it.
 */
import { generateKeyPairSync } from "node:crypto";
import { PassThrough } from "node:stream";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/bin/report.js";
import { runCli } from "../../src/bin/cli.js";
import type { CliIO } from "../../src/cli/io.js";
import { incidentIssueJson, leak } from "../alerts/fixtures.js";

const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const NOW = new Date("2026-11-30T12:00:00Z");
const { key, finding } = leak();

interface Captured extends CliIO {
  out: () => string;
  err: () => string;
}

function io(env: Record<string, string> = {}): Captured {
  let out = "";
  let err = "";
  return {
    cwd: process.cwd(),
    env: { APP_ID: "1", PRIVATE_KEY: privateKey, LOG_LEVEL: "silent", ...env },
    stdin: new PassThrough(),
    stdout: { write: (chunk: string) => (out += chunk) },
    stderr: { write: (chunk: string) => (err += chunk) },
    out: () => out,
    err: () => err,
  };
}

function github(api: string, installationId = 42): void {
  nock(api).post(`/app/installations/${installationId}/access_tokens`).reply(201, { token: "installation-token-for-tests", expires_at: "2099-01-01T00:00:00Z" });
  nock(api)
    .get("/installation/repositories")
    .query({ per_page: "100" })
    .reply(200, { total_count: 1, repositories: [{ id: 1, name: "shop", owner: { login: "octo" }, html_url: "https://github.com/octo/shop", private: true, has_issues: true }] });
  nock(api)
    .get("/repos/octo/shop/issues")
    .query({ state: "all", labels: "stripe-leak-guard", per_page: "100" })
    .reply(200, [{ ...incidentIssueJson(finding, ["rotation: failed"]), created_at: "2026-11-27T09:00:00Z", closed_at: null }]);
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("stripe-leak-guard report", () => {
  it("prints the Markdown report for an installation, as the App", async () => {
    github("https://api.github.com");
    const cli = io();
    expect(await run(["--installation", "42"], cli, { now: () => NOW })).toBe(0);
    expect(cli.out()).toContain("## Stripe leak report for octo");
    expect(cli.out()).toContain(`| 🔴 critical | [octo/shop#12](https://github.com/octo/shop/issues/12) | \`${finding.redacted}\` | 3 days | not checked | failed |`);
    expect(cli.out()).toContain("xychart-beta");
    expect(cli.out() + cli.err()).not.toContain(key);
  });

  it("prints JSON with --format json, through the command table, on GitHub Enterprise Server", async () => {
    github("https://ghe.example.com/api/v3");
    const cli = io({ GHE_HOST: "ghe.example.com" });
    expect(await runCli(["report", "--installation", "42", "--format", "json"], cli), cli.err()).toBe(0);
    const json = JSON.parse(cli.out()) as { owner: string; open: { repository: string; rotation: string; redacted: string }[] };
    expect(json.owner).toBe("octo");
    expect(json.open).toEqual([expect.objectContaining({ repository: "octo/shop", rotation: "failed", redacted: finding.redacted })]);
  });

  it("says clearly when the installation does not exist", async () => {
    nock("https://api.github.com").post("/app/installations/99/access_tokens").reply(404, { message: "Not Found" });
    const cli = io();
    expect(await run(["--installation", "99"], cli)).toBe(2);
    expect(cli.err()).toContain("installation 99 was not found for this App (APP_ID 1)");
  });

  it("refuses bad usage with help, and runs nothing without the App's credentials", async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [[], {}, /--installation <id> is required/],
      [["--installation", "abc"], {}, /--installation <id> is required and must be a positive number/],
      [["--installation", "42", "--format", "csv"], {}, /--format must be markdown or json/],
      [["--installation", "42", "--bogus"], {}, /Unknown option '--bogus'/],
      [["--installation", "42"], { APP_ID: "" }, /APP_ID and PRIVATE_KEY \(or PRIVATE_KEY_PATH\) must be set/],
    ];
    for (const [argv, env, message] of cases) {
      const cli = io(env);
      expect(await run(argv, cli)).toBe(2);
      expect(cli.err()).toMatch(message);
    }
    const help = io();
    expect(await run(["--help"], help)).toBe(0);
    expect(help.out()).toContain("Usage: stripe-leak-guard report --installation <id>");
  });
});
