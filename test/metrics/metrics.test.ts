import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import nock from "nock";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { createMetrics, observeRateLimit, recordScan } from "../../src/metrics/index.js";
import { TEST_API, testOctokit } from "../helpers/octokit.js";

const REDIS_URL = "redis://127.0.0.1:6379";
const prefix = `slg-test-metrics-${randomUUID().slice(0, 8)}`;
const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });

afterAll(async () => {
  const keys = await connection.keys(`${prefix}:*`);
  if (keys.length) await connection.del(...keys);
  await connection.quit();
  nock.cleanAll();
});

function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("createMetrics", () => {
  it("exposes every named series with the values recorded through the helpers", async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.webhookDelivered("push", "accepted");
    metrics.webhookDelivered("push", "accepted");
    metrics.webhookDelivered("pull_request", "unavailable");
    metrics.scanCompleted("push", 0.3, 2048);
    metrics.scanCompleted("push", 1.2, 1024, false);
    metrics.findingsFound("secret", 2);
    metrics.findingsFound("webhook-secret");
    metrics.rotationFinished("rotated");
    metrics.rateLimitRemaining(42, 4999);
    metrics.backfillProgress(42, 3, 10);
    metrics.incidentOpened();
    metrics.redeliveryRequested("requested");
    metrics.setOpenIncidentsSource(() => 5);

    const text = await metrics.render();
    const p = "stripe_leak_guard_";
    expect(sample(text, `${p}webhook_deliveries_total{event="push",outcome="accepted"}`)).toBe(2);
    expect(sample(text, `${p}webhook_deliveries_total{event="pull_request",outcome="unavailable"}`)).toBe(1);
    expect(sample(text, `${p}scan_duration_seconds_count{source="push"}`)).toBe(2);
    expect(sample(text, `${p}scan_bytes_total{source="push"}`)).toBe(3072);
    expect(sample(text, `${p}scans_incomplete_total{source="push"}`)).toBe(1);
    expect(sample(text, `${p}findings_total{kind="secret"}`)).toBe(2);
    expect(sample(text, `${p}findings_total{kind="webhook-secret"}`)).toBe(1);
    expect(sample(text, `${p}rotations_total{outcome="rotated"}`)).toBe(1);
    expect(sample(text, `${p}github_rate_limit_remaining{installation="42"}`)).toBe(4999);
    expect(sample(text, `${p}backfill_repositories_done{installation="42"}`)).toBe(3);
    expect(sample(text, `${p}backfill_repositories_total{installation="42"}`)).toBe(10);
    expect(sample(text, `${p}incidents_opened_total`)).toBe(1);
    expect(sample(text, `${p}open_incidents`)).toBe(5);
    expect(sample(text, `${p}webhook_redeliveries_total{outcome="requested"}`)).toBe(1);
    expect(metrics.contentType).toMatch(/^text\/plain/);
  });

  it("reads waiting, failed and depth from real BullMQ queues at scrape time", async () => {
    const scan = new Queue("scan", { connection, prefix });
    const rotation = new Queue("rotation", { connection, prefix });
    await scan.add("scan-push", { n: 1 });
    await scan.add("scan-push", { n: 2 });
    await scan.add("scan-push", { n: 3 }, { delay: 60_000 });
    const metrics = createMetrics({ processMetrics: false });
    metrics.watchQueues([scan, rotation]);

    const text = await metrics.render();
    const p = "stripe_leak_guard_";
    expect(sample(text, `${p}queue_jobs{queue="scan",state="waiting"}`)).toBe(2);
    expect(sample(text, `${p}queue_jobs{queue="scan",state="delayed"}`)).toBe(1);
    expect(sample(text, `${p}queue_jobs{queue="scan",state="failed"}`)).toBe(0);
    expect(sample(text, `${p}queue_depth{queue="scan"}`)).toBe(3);
    expect(sample(text, `${p}queue_depth{queue="rotation"}`)).toBe(0);
    await scan.close();
    await rotation.close();
  });

  it("adds process metrics under the same prefix and constant labels on request", async () => {
    const metrics = createMetrics({ labels: { role: "worker" } });
    const text = await metrics.render();
    expect(text).toMatch(/^stripe_leak_guard_process_resident_memory_bytes\{role="worker"\} \d+/m);
  });
});

describe("observeRateLimit", () => {
  it("records x-ratelimit-remaining from successful and failed responses", async () => {
    const metrics = createMetrics({ processMetrics: false });
    const octokit = testOctokit();
    observeRateLimit(octokit, 7, metrics);
    nock(TEST_API).get("/repos/o/r").reply(200, { id: 1 }, { "x-ratelimit-remaining": "4321" });
    await octokit.rest.repos.get({ owner: "o", repo: "r" });
    expect(sample(await metrics.render(), 'stripe_leak_guard_github_rate_limit_remaining{installation="7"}')).toBe(4321);

    nock(TEST_API).get("/repos/o/gone").reply(404, { message: "Not Found" }, { "x-ratelimit-remaining": "4320" });
    await expect(octokit.rest.repos.get({ owner: "o", repo: "gone" })).rejects.toMatchObject({ status: 404 });
    expect(sample(await metrics.render(), 'stripe_leak_guard_github_rate_limit_remaining{installation="7"}')).toBe(4320);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("recordScan", () => {
  it("records duration, bytes, findings by kind, incompleteness and the incidents a scan created", async () => {
    const metrics = createMetrics({ processMetrics: false });
    recordScan(metrics, "push", 0.2, {
      findings: [{ kind: "secret" }, { kind: "secret" }, { kind: "publishable" }],
      complete: false,
      incidents: [{ action: "created" }, { action: "commented" }],
      bytes: 512,
    });
    const text = await metrics.render();
    const p = "stripe_leak_guard_";
    expect(sample(text, `${p}findings_total{kind="secret"}`)).toBe(2);
    expect(sample(text, `${p}findings_total{kind="publishable"}`)).toBe(1);
    expect(sample(text, `${p}scan_bytes_total{source="push"}`)).toBe(512);
    expect(sample(text, `${p}scans_incomplete_total{source="push"}`)).toBe(1);
    expect(sample(text, `${p}incidents_opened_total`)).toBe(1);
    expect(sample(text, `${p}scan_duration_seconds_count{source="push"}`)).toBe(1);
  });
});
