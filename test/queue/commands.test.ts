import { afterEach, describe, expect, it, vi } from "vitest";
import { run as runServer } from "../../src/bin/server.js";
import { run as runWorker } from "../../src/bin/worker.js";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function quiet(): { stdout: string[]; stderr: string[] } {
  const out = { stdout: [] as string[], stderr: [] as string[] };
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (out.stdout.push(String(chunk)), true));
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void out.stderr.push(args.join(" ")));
  return out;
}

describe("worker command", () => {
  it("prints help", async () => {
    const out = quiet();
    expect(await runWorker(["--help"])).toBe(0);
    expect(out.stdout.join("")).toContain("Usage: stripe-leak-guard worker");
  });

  it("explains that it needs REDIS_URL", async () => {
    vi.stubEnv("REDIS_URL", undefined);
    const out = quiet();
    expect(await runWorker([])).toBe(2);
    expect(out.stderr.join("")).toMatch(/REDIS_URL is not set/);
  });

  it("refuses unknown queues, bad concurrency and unknown options", async () => {
    vi.stubEnv("REDIS_URL", "redis://127.0.0.1:6379");
    vi.stubEnv("APP_ID", "1");
    vi.stubEnv("PRIVATE_KEY", "unused in this test");
    const out = quiet();
    expect(await runWorker(["--queues", "scan,nope"])).toBe(2);
    expect(await runWorker(["--concurrency", "0"])).toBe(2);
    expect(await runWorker(["--bogus"])).toBe(2);
    expect(out.stderr.join("\n")).toMatch(/unknown queue nope/);
    expect(out.stderr.join("\n")).toMatch(/--concurrency must be/);
  });
});

describe("server command", () => {
  it("prints help and refuses a bad port", async () => {
    const out = quiet();
    expect(await runServer(["--help"])).toBe(0);
    expect(out.stdout.join("")).toContain("Usage: stripe-leak-guard server");
    expect(await runServer(["--port", "99999"])).toBe(2);
  });

  it("refuses to start without WEBHOOK_SECRET", async () => {
    vi.stubEnv("APP_ID", "1");
    vi.stubEnv("PRIVATE_KEY", "unused in this test");
    vi.stubEnv("WEBHOOK_SECRET", "");
    const out = quiet();
    expect(await runServer(["--port", "0"])).toBe(2);
    expect(out.stderr.join("")).toMatch(/WEBHOOK_SECRET is not set/);
  });
});

describe("createProbotFromEnv", () => {
  it("honours GHE_HOST and GHE_PROTOCOL, and leaves REDIS_URL to the queue", async () => {
    const { createProbotFromEnv } = await import("../../src/probot/from-env.js");
    const { testPrivateKey } = await import("../helpers/probot.js");
    const { captureLog } = await import("./fixtures/jobs.js");
    const probot = createProbotFromEnv(
      { APP_ID: "1", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: "secret", GHE_HOST: "ghe.example.com", GHE_PROTOCOL: "http", REDIS_URL: "redis://127.0.0.1:1" },
      captureLog().log,
    );
    const octokit = await probot.auth(7);
    expect(octokit.request.endpoint.DEFAULTS.baseUrl).toBe("http://ghe.example.com/api/v3");
  });
});
