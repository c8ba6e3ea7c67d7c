import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { createMetrics } from "../../src/metrics/index.js";
import { createDashboard } from "../../src/ops/dashboard.js";
import { createOpsHandler } from "../../src/ops/ops-handler.js";
import { startOpsServer } from "../../src/ops/ops-server.js";
import type { OpsServer } from "../../src/ops/ops-server.js";
import { githubCredentialsCheck, redisCheck, runReadiness } from "../../src/ops/readiness.js";

const pem = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const prefix = `slg-test-ops-${randomUUID().slice(0, 8)}`;
const redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
const scan = new Queue("scan", { connection: redis, prefix });
const rotation = new Queue("rotation", { connection: redis, prefix });
const servers: OpsServer[] = [];

async function serve(options: Parameters<typeof createOpsHandler>[0]): Promise<string> {
  const server = await startOpsServer(createOpsHandler(options), 0, "127.0.0.1");
  servers.push(server);
  return `http://127.0.0.1:${server.port}`;
}

beforeAll(async () => {
  await scan.add("scan-push", { installationId: 1, owner: "o", repo: "r" });
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await scan.close();
  await rotation.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe("the ops endpoints", () => {
  it("answers /healthz, /readyz and /metrics with the named series", async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.watchQueues([scan, rotation]);
    metrics.webhookDelivered("push", "accepted");
    const url = await serve({ metrics, readiness: [redisCheck(redis), githubCredentialsCheck({ APP_ID: "12", PRIVATE_KEY: pem })] });

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });

    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { redis: { ok: true }, github: { ok: true } } });

    const scrape = await fetch(`${url}/metrics`);
    expect(scrape.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await scrape.text();
    expect(text).toContain('stripe_leak_guard_webhook_deliveries_total{event="push",outcome="accepted"} 1');
    expect(text).toContain('stripe_leak_guard_queue_jobs{queue="scan",state="waiting"} 1');
    expect(text).toContain('stripe_leak_guard_queue_depth{queue="rotation"} 0');

    expect((await fetch(`${url}/nothing`)).status).toBe(404);
    expect((await fetch(`${url}/healthz`, { method: "POST" })).status).toBe(405);
    // Off unless configured: no dashboard, no route.
    expect((await fetch(`${url}/admin/queues`)).status).toBe(404);
  });

  it("reports not ready, with reasons, when Redis is unreachable or the App credentials are missing", async () => {
    const down = new Redis("redis://127.0.0.1:1", { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    down.on("error", () => undefined);
    const url = await serve({ metrics: createMetrics({ processMetrics: false }), readiness: [redisCheck(down), githubCredentialsCheck({})] });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; checks: Record<string, { ok: boolean; error?: string }> };
    expect(body.status).toBe("not ready");
    expect(body.checks.redis?.ok).toBe(false);
    expect(body.checks.github).toEqual({ ok: false, error: "APP_ID is missing or not a number" });
    down.disconnect();
  });

  it("serves Bull Board at /admin/queues only with the admin credentials", async () => {
    const auth = { basic: { user: "ops", password: "pw" }, bearer: "tok" };
    const url = await serve({
      metrics: createMetrics({ processMetrics: false }),
      readiness: [],
      dashboard: createDashboard({ queues: [scan, rotation], auth }),
    });
    const refused = await fetch(`${url}/admin/queues`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    expect((await fetch(`${url}/admin/queues/api/queues`, { headers: { authorization: "Bearer nope" } })).status).toBe(401);

    const page = await fetch(`${url}/admin/queues`, { headers: { authorization: `Basic ${Buffer.from("ops:pw").toString("base64")}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<html");

    const api = await fetch(`${url}/admin/queues/api/queues`, { headers: { authorization: "Bearer tok" } });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: Array<{ name: string }> }).queues.map((queue) => queue.name).sort();
    expect(names).toEqual(["rotation", "scan"]);
  });
});

describe("githubCredentialsCheck", () => {
  it("accepts the forms Probot accepts and names what is wrong otherwise", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slg-key-"));
    const path = join(dir, "app.pem");
    writeFileSync(path, pem);
    const escaped = pem.replace(/\n/g, "\\n");
    const base64 = Buffer.from(pem).toString("base64");
    for (const env of [{ PRIVATE_KEY: escaped }, { PRIVATE_KEY: base64 }, { PRIVATE_KEY_PATH: path }]) {
      expect((await runReadiness([githubCredentialsCheck({ APP_ID: "1", ...env })])).ready).toBe(true);
    }
    const bad = await runReadiness([
      githubCredentialsCheck({ APP_ID: "1" }),
      { ...githubCredentialsCheck({ APP_ID: "1", PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\nnope\n-----END RSA PRIVATE KEY-----" }), name: "garbled" },
      { ...githubCredentialsCheck({ APP_ID: "1", PRIVATE_KEY_PATH: join(dir, "missing.pem") }), name: "missing" },
    ]);
    expect(bad.checks.github?.error).toMatch(/set PRIVATE_KEY or PRIVATE_KEY_PATH/);
    expect(bad.checks.garbled?.error).toBe("the private key does not parse as a PEM private key");
    expect(bad.checks.missing?.error).toMatch(/private key unreadable/);
  });
});

describe("redisCheck", () => {
  it("waits for a connection that is still opening instead of failing a probe sent at startup", async () => {
    const fresh = new Redis("redis://127.0.0.1:6379", { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    try {
      expect(fresh.status).not.toBe("ready");
      expect(await runReadiness([redisCheck(fresh)])).toEqual({ ready: true, checks: { redis: { ok: true } } });
    } finally {
      fresh.disconnect();
    }
  });
});
