import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyDotEnv } from "../../src/config/dotenv.js";

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "slg-dotenv-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("applyDotEnv", () => {
  it("fills what Probot's setup flow wrote, including a multi-line private key", () => {
    const pem = ["-----BEGIN RSA PRIVATE KEY-----", "MIIBOgIBAAJBAK", "-----END RSA PRIVATE KEY-----"].join("\n");
    writeFileSync(join(dir, ".env"), `APP_ID=123\nWEBHOOK_SECRET=development\nPRIVATE_KEY="${pem}"\n`);
    const env: Record<string, string | undefined> = {};
    expect(applyDotEnv(env, dir).sort()).toEqual(["APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET"]);
    expect(env.APP_ID).toBe("123");
    expect(env.PRIVATE_KEY).toBe(pem);
  });

  it("never overrides a variable the operator set", () => {
    writeFileSync(join(dir, ".env"), "APP_ID=123\nLOG_LEVEL=trace\n");
    const env: Record<string, string | undefined> = { APP_ID: "999" };
    expect(applyDotEnv(env, dir)).toEqual(["LOG_LEVEL"]);
    expect(env.APP_ID).toBe("999");
  });

  it("is a no-op without a .env file", () => {
    const env: Record<string, string | undefined> = {};
    expect(applyDotEnv(env, dir)).toEqual([]);
    expect(env).toEqual({});
  });

  it("is a clear error when .env cannot be read", () => {
    const env: Record<string, string | undefined> = {};
    // A directory named .env cannot be read as a file.
    mkdirSync(join(dir, ".env"));
    expect(() => applyDotEnv(env, dir)).toThrow(/\.env could not be read: EISDIR/);
  });
});
