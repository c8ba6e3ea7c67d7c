import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { createMetrics } from "../../src/metrics/index.js";
import { createServerOps } from "../../src/ops/server-ops.js";
import { MAINTENANCE_QUEUE, SWEEPER_SCHEDULER_ID } from "../../src/ops/sweeper-schedule.js";
import { startWorkerOps } from "../../src/ops/worker-ops.js";
import { testOctokit } from "../helpers/octokit.js";

const REDIS_URL = "redis://127.0.0.1:6379";
const prefix = `slg-test-wire-${randomUUID().slice(0, 8)}`;
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const log = pino({ level: "silent" });
const env = {
  APP_ID: "7",
  PRIVATE_KEY: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
};

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("createServerOps", () => {
  it("answers the ops routes in front of the webhook route and counts webhook answers by event and outcome", async () => {
    const metrics = createMetrics({ processMetrics: false });
    const ops = createServerOps({
      env: { ...env, ADMIN_TOKEN: "let-me-in" },
      log,
      redisUrl: REDIS_URL,
      prefix,
      webhookPath: "/api/github/webhooks",
      metrics,
    });
    // Stands in for the webhook handler: 202 for pushes, 503 as when Redis is down for pull requests.
    const server = createServer((request, response) => {
      if (ops.handle(request, response)) return;
      const status = request.headers["x-github-event"] === "push" ? 202 : 503;
      request.resume();
      request.on("end", () => response.writeHead(status).end());
    });
    const url = await listen(server);
    try {
      const post = (event: string) => fetch(`${url}/api/github/webhooks`, { method: "POST", headers: { "x-github-event": event }, body: "{}" });
      expect((await post("push")).status).toBe(202);
      expect((await post("push")).status).toBe(202);
      expect((await post("pull_request")).status).toBe(503);

      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const ready = (await (await fetch(`${url}/readyz`)).json()) as { checks: Record<string, { ok: boolean }> };
      expect(ready.checks).toEqual({ github: { ok: true }, redis: { ok: true } });
      const text = await (await fetch(`${url}/metrics`)).text();
      expect(text).toContain('stripe_leak_guard_webhook_deliveries_total{event="push",outcome="accepted"} 2');
      expect(text).toContain('stripe_leak_guard_webhook_deliveries_total{event="pull_request",outcome="unavailable"} 1');
      for (const queue of ["scan", "rotation", "backfill", "notify", "maintenance"]) {
        expect(text).toContain(`stripe_leak_guard_queue_depth{queue="${queue}"} 0`);
      }
      expect((await fetch(`${url}/admin/queues`)).status).toBe(401);
      expect((await fetch(`${url}/admin/queues/api/queues`, { headers: { authorization: "Bearer let-me-in" } })).status).toBe(200);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ops.close();
    }
  });

  it("has no dashboard without Redis, even with credentials, and stays ready on credentials alone", async () => {
    const ops = createServerOps({ env: { ...env, ADMIN_TOKEN: "x" }, log, prefix, webhookPath: "/", metrics: createMetrics({ processMetrics: false }) });
    const server = createServer((request, response) => {
      if (!ops.handle(request, response)) response.writeHead(404).end();
    });
    const url = await listen(server);
    try {
      expect((await fetch(`${url}/admin/queues`, { headers: { authorization: "Bearer x" } })).status).toBe(404);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ops.close();
    }
  });
});

describe("startWorkerOps", () => {
  it("serves health and metrics on its own port and schedules the sweeper once, or removes it when set to 0", async () => {
    const first = await startWorkerOps({ env, log, redisUrl: REDIS_URL, prefix, port: 0, host: "127.0.0.1", appOctokit: async () => testOctokit(), metrics: createMetrics({ processMetrics: false }) });
    const second = await startWorkerOps({ env, log, redisUrl: REDIS_URL, prefix, port: 0, host: "127.0.0.1", appOctokit: async () => testOctokit(), metrics: createMetrics({ processMetrics: false }) });
    const maintenance = new Queue(MAINTENANCE_QUEUE, { connection: redis, prefix });
    try {
      const base = `http://127.0.0.1:${first.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${base}/metrics`)).text()).toContain('stripe_leak_guard_queue_depth{queue="scan"} 0');
      // Two workers, one schedule.
      const schedulers = await maintenance.getJobSchedulers();
      expect(schedulers.map((entry) => entry.key)).toEqual([SWEEPER_SCHEDULER_ID]);
      expect(schedulers[0]?.every).toBe(5 * 60_000);
    } finally {
      await first.close();
      await second.close();
    }
    // A second worker on the same machine and port keeps running without its own endpoint.
    const holder = await startWorkerOps({ env, log, redisUrl: REDIS_URL, prefix, port: 0, host: "127.0.0.1", sweepEveryMinutes: 0, appOctokit: async () => testOctokit(), metrics: createMetrics({ processMetrics: false }) });
    const clash = await startWorkerOps({ env, log, redisUrl: REDIS_URL, prefix, port: holder.port, host: "127.0.0.1", sweepEveryMinutes: 0, appOctokit: async () => testOctokit(), metrics: createMetrics({ processMetrics: false }) });
    expect(clash.port).toBeUndefined();
    await clash.close();
    await holder.close();

    const off = await startWorkerOps({ env, log, redisUrl: REDIS_URL, prefix, port: 0, host: "127.0.0.1", sweepEveryMinutes: 0, appOctokit: async () => testOctokit(), metrics: createMetrics({ processMetrics: false }) });
    try {
      expect(off.sweeper).toBeUndefined();
      expect(await maintenance.getJobSchedulers()).toEqual([]);
    } finally {
      await off.close();
      await maintenance.close();
    }
  });
});
