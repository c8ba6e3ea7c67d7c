import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backfillRepository } from "../../src/backfill/run-repo.js";
import { createInProcessBackfillServices, DEFAULT_BACKFILL_LIMITS, type BackfillServices } from "../../src/backfill/services.js";
import { openTarball } from "../../src/github/tarball.js";
import type { BackfillRepoJob, JobDeps } from "../../src/jobs/types.js";
import { createInProcessLock } from "../../src/lock/keyed-lock.js";
import { createMetrics } from "../../src/metrics/index.js";
import { RetryLaterError } from "../../src/queue/errors.js";
import { TEST_API, testOctokit } from "../helpers/octokit.js";
import { captureLog } from "../helpers/probot.js";
import { buildRepoTarball } from "./tar-writer.js";

const GHES = "https://ghe.example.com/api/v3";
let services: BackfillServices;
let captured: ReturnType<typeof captureLog>;

function deps(baseUrl?: string): JobDeps {
  return { octokit: testOctokit(baseUrl ? { baseUrl } : {}), log: captured.log, pepper: "run-repo-tests-pepper-0123456789", lock: createInProcessLock() };
}

function job(repo: string, repoId: number): BackfillRepoJob {
  return { installationId: 555, owner: "octo", repo, repoId, backfillId: "d1" };
}

beforeEach(() => {
  nock.disableNetConnect();
  captured = captureLog();
  services = createInProcessBackfillServices(async () => undefined, { ...DEFAULT_BACKFILL_LIMITS, perMinute: 6000, perHour: 100_000 });
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(pending).toEqual([]);
});

describe("openTarball", () => {
  it("takes a body GitHub sends directly (no redirect), e.g. from GHES, at the GHES API root", async () => {
    const tarball = buildRepoTarball("octo-shop-1", { "a.txt": "x\n" });
    nock("https://ghe.example.com").get("/api/v3/repos/octo/shop/tarball").reply(200, tarball);
    const response = await openTarball(testOctokit({ baseUrl: GHES }), { owner: "octo", repo: "shop" });
    expect(response.kind).toBe("stream");
    if (response.kind !== "stream") return;
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(tarball)).toBe(true);
  });

  it("keeps the codeload address (it holds a token) out of the error when the download fails", async () => {
    nock(TEST_API).get("/repos/octo/shop/tarball").reply(302, "", { location: "https://codeload.github.com/octo/shop/legacy.tar.gz/main?token=SECRETPART" });
    nock("https://codeload.github.com").get("/octo/shop/legacy.tar.gz/main").query(true).reply(503, "busy");
    const error = (await openTarball(testOctokit(), { owner: "octo", repo: "shop" }).then(
      () => new Error("expected a failure"),
      (e: unknown) => e,
    )) as Error & { status?: number };
    expect(error.message).toContain("failed with 503");
    expect(error.message).not.toContain("SECRETPART");
    expect(error.status).toBe(503);
  });
});

describe("backfillRepository", () => {
  it("counts a repository without a tarball (empty) as done", async () => {
    nock(TEST_API).get("/repos/octo/empty/tarball").reply(404, { message: "Not Found" });
    const result = await backfillRepository(job("empty", 1), deps(), services);
    expect(result.status).toBe("empty");
    expect(result.progress.done).toBe(1);
  });

  it("pauses the installation's later repositories when GitHub's budget runs low, and reports progress in the metrics", async () => {
    const metrics = createMetrics({ processMetrics: false });
    const resetAt = Math.floor(Date.now() / 1000) + 120;
    nock(TEST_API)
      .get("/repos/octo/low/tarball")
      .reply(200, buildRepoTarball("octo-low-1", { "a.txt": "fine\n" }), { "x-ratelimit-remaining": "300", "x-ratelimit-limit": "5000", "x-ratelimit-reset": String(resetAt) });
    await services.store.plan(555, [2, 3]);
    const first = await backfillRepository(job("low", 2), deps(), services, metrics);
    expect(first.status).toBe("scanned");
    expect(first.progress).toEqual({ done: 1, total: 2 });
    // The next repository is not requested: it comes back after the reset.
    const error = await backfillRepository(job("next", 3), deps(), services).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).retryAfterMs).toBeGreaterThan(60_000);
    const text = await metrics.render();
    expect(text).toContain('stripe_leak_guard_backfill_repositories_done{installation="555"} 1');
    expect(text).toContain('stripe_leak_guard_backfill_repositories_total{installation="555"} 2');
    expect(text).toContain('stripe_leak_guard_scan_bytes_total{source="backfill"} 5');
  });
});
