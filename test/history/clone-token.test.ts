import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bareClone, CloneError, cloneEnvironment, scrubToken } from "../../src/history/clone.js";
import { cloneUrlFor } from "../../src/history/clone-url.js";

const TOKEN = "ghs_clonetesttoken0123456789abcdefABCDEF";
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString("base64");
let parent: string;

beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), "slg-clone-token-"));
});
afterEach(() => rmSync(parent, { recursive: true, force: true }));

describe("the clone URL", () => {
  it("follows the API root Probot built from GHE_HOST and GHE_PROTOCOL", () => {
    expect(cloneUrlFor("https://api.github.com", "octo", "shop")).toBe("https://github.com/octo/shop.git");
    expect(cloneUrlFor("https://ghe.example.com/api/v3", "octo", "shop")).toBe("https://ghe.example.com/octo/shop.git");
    expect(cloneUrlFor("http://ghe.internal:8080/api/v3", "octo", "shop")).toBe("http://ghe.internal:8080/octo/shop.git");
  });
});

describe("the installation token during a clone", () => {
  it("goes to git only as an http.extraHeader in the environment, with credential helpers and tracing off", () => {
    const env = cloneEnvironment({ PATH: "/bin", GIT_TRACE_CURL: "1", GIT_CURL_VERBOSE: "1", GIT_CONFIG_COUNT: "5" }, TOKEN);
    expect(env.GIT_TRACE_CURL).toBeUndefined();
    expect(env.GIT_CURL_VERBOSE).toBeUndefined();
    expect(env.GIT_CONFIG_COUNT).toBe("2");
    expect([env.GIT_CONFIG_KEY_0, env.GIT_CONFIG_VALUE_0]).toEqual(["credential.helper", ""]);
    expect([env.GIT_CONFIG_KEY_1, env.GIT_CONFIG_VALUE_1]).toEqual(["http.extraHeader", `AUTHORIZATION: basic ${BASIC}`]);
    expect(env.GIT_TERMINAL_PROMPT).toBe("0");
    expect(scrubToken(`failed for ${TOKEN} and ${BASIC}`, TOKEN)).toBe("failed for *** and ***");
  });

  it("is sent by git in the Authorization header, not the URL, and kept out of the error; the directory is removed", async () => {
    const seen: { url?: string; headers?: IncomingHttpHeaders }[] = [];
    const server: Server = createServer((req, res) => {
      seen.push({ ...(req.url ? { url: req.url } : {}), headers: req.headers });
      res.writeHead(404, { "content-type": "text/plain" });
      res.end(`no repository here (token ${TOKEN})`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      const error = await bareClone({ url: `http://127.0.0.1:${port}/octo/shop.git`, token: TOKEN, parentDir: parent }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CloneError);
      expect(String((error as Error).message)).not.toContain(TOKEN);
      expect(String((error as Error).message)).not.toContain(BASIC);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]?.headers?.authorization).toBe(`basic ${BASIC}`);
    expect(seen.every((request) => !(request.url ?? "").includes(TOKEN))).toBe(true);
    expect(readdirSync(parent)).toEqual([]);
  });

  it("never appears in git's argv", async () => {
    // A stand-in git that records its arguments and environment, then fails.
    const bin = join(parent, "bin");
    const record = join(parent, "record.txt");
    mkdirSync(bin);
    writeFileSync(join(bin, "git"), `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\nenv | grep '^GIT_CONFIG' >> '${record}.env'\nexit 1\n`);
    chmodSync(join(bin, "git"), 0o755);
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${savedPath ?? ""}`;
    try {
      await expect(bareClone({ url: "https://github.com/octo/shop.git", token: TOKEN, parentDir: parent })).rejects.toBeInstanceOf(CloneError);
    } finally {
      process.env.PATH = savedPath;
    }
    const argv = readFileSync(record, "utf8");
    expect(argv).toContain("https://github.com/octo/shop.git");
    expect(argv).not.toContain(TOKEN);
    expect(argv).not.toContain(BASIC);
    expect(readFileSync(`${record}.env`, "utf8")).toContain(BASIC);
    expect(readdirSync(parent).sort()).toEqual(["bin", "record.txt", "record.txt.env"]);
  });
});
