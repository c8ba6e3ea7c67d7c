import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dispatcher } from "../../src/jobs/types.js";
import type { WebhookServer } from "../../src/probot/webhook-server.js";
import { createProducerConnection } from "../../src/queue/connection.js";
import { createBullDispatcher, type BullDispatcher } from "../../src/queue/dispatcher.js";
import { connect, deleteWithPrefix, freePort, SHARED_REDIS_URL, uniquePrefix } from "../helpers/redis.js";
import { startAppWebhookServer } from "./fixtures/app-webhook-server.js";
import { captureLog } from "./fixtures/jobs.js";
import { deliver, pushPayload, signedDelivery } from "./fixtures/webhooks.js";

const secret = randomBytes(16).toString("hex");
const prefix = uniquePrefix("webhook");
const captured = captureLog();
let admin: Redis;
let scan: Queue;
const servers: WebhookServer[] = [];
const dispatchers: BullDispatcher[] = [];

async function serve(dispatcher: Dispatcher, extra: { stillProcessingAfterMs?: number } = {}): Promise<string> {
  const { server, url } = await startAppWebhookServer({ dispatcher, secret, log: captured.log, ...extra });
  servers.push(server);
  return url;
}

beforeAll(() => {
  admin = connect();
  scan = new Queue("scan", { connection: admin, prefix });
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
  await scan.close();
  await deleteWithPrefix(admin, prefix);
  admin.disconnect();
});

/** Announces 27 MB and starts sending; the server must answer 413 without reading it all. */
function oversizedPost(url: string, headers: Record<string, string>): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { ...headers, "content-length": String(27 * 1024 * 1024) } }, (res) => {
      res.resume();
      resolve(res.statusCode);
      req.destroy();
    });
    req.on("error", reject);
    req.write(Buffer.alloc(64 * 1024, 0x20));
  });
}

describe("webhook server", () => {
  it("verifies the signature, queues the job and answers 202", async () => {
    const dispatcher = createBullDispatcher({ connection: createProducerConnection(SHARED_REDIS_URL), prefix, log: captured.log });
    dispatchers.push(dispatcher);
    const url = await serve(dispatcher);
    const payload = pushPayload();
    expect(await deliver(url, signedDelivery(secret, "push", payload))).toBe(202);
    const jobs = await scan.getJobs(["waiting"]);
    expect(jobs.map((job) => job.data.after)).toContain(payload.after);

    const forged = signedDelivery("not-the-secret", "push", pushPayload());
    expect(await deliver(url, forged)).toBe(400);
    const sha1 = { ...signedDelivery(secret, "push", pushPayload()) };
    sha1.headers = { ...sha1.headers, "x-hub-signature-256": "sha1=0000" };
    expect(await deliver(url, sha1)).toBe(400);
    expect(await scan.getJobs(["waiting"])).toHaveLength(1);
  });

  it("answers 503 with retry-after while Redis is unreachable", async () => {
    const dead = createBullDispatcher({
      connection: createProducerConnection(`redis://127.0.0.1:${await freePort()}`),
      prefix,
      log: captured.log,
      timeoutMs: 300,
    });
    dispatchers.push(dead);
    const url = await serve(dead);
    const delivery = signedDelivery(secret, "push", pushPayload());
    const response = await fetch(url, { method: "POST", headers: delivery.headers, body: delivery.body });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("60");
    const line = captured.lines().find((entry) => entry.msg === "webhook failed" && entry.deliveryId === delivery.id);
    expect(line).toMatchObject({ status: 503 });
  });

  it("refuses other paths, methods, content types and oversized bodies", async () => {
    const url = await serve({ dispatch: async () => undefined });
    const base = url.replace("/api/github/webhooks", "");
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/elsewhere`, { method: "POST" })).status).toBe(404);
    expect((await fetch(url)).status).toBe(405);
    const delivery = signedDelivery(secret, "push", pushPayload());
    expect((await fetch(url, { method: "POST", headers: { ...delivery.headers, "content-type": "text/plain" }, body: delivery.body })).status).toBe(415);
    const missing = Object.fromEntries(Object.entries(delivery.headers).filter(([name]) => name !== "x-github-delivery"));
    expect((await fetch(url, { method: "POST", headers: missing, body: delivery.body })).status).toBe(400);
    expect(await oversizedPost(url, delivery.headers)).toBe(413);
  });

  it("answers 202 'still processing' when in-process jobs outlast GitHub's patience", async () => {
    let finished = false;
    const slow: Dispatcher = {
      dispatch: async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished = true;
      },
    };
    const url = await serve(slow, { stillProcessingAfterMs: 50 });
    const response = await fetch(url, { method: "POST", ...(({ headers, body }) => ({ headers, body }))(signedDelivery(secret, "push", pushPayload())) });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("still processing\n");
    expect(finished).toBe(false);
  });
});
