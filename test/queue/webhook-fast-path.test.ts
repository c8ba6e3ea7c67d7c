import { createHmac, randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { afterAll, describe, expect, it } from "vitest";
import type { Dispatcher } from "../../src/jobs/types.js";
import { createQueueFastPath } from "../../src/probot/queue-fast-path.js";
import type { WebhookServer } from "../../src/probot/webhook-server.js";
import { startAppWebhookServer } from "./fixtures/app-webhook-server.js";
import { captureLog } from "./fixtures/jobs.js";
import { deliver, pushPayload, signedDelivery, type Delivery } from "./fixtures/webhooks.js";

const secret = randomBytes(16).toString("hex");
const captured = captureLog();
const servers: WebhookServer[] = [];

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

interface Recorded {
  name: string;
  data: unknown;
}

async function serve(fastPath: boolean, dispatch: Dispatcher["dispatch"]): Promise<string> {
  const { server, url } = await startAppWebhookServer({ dispatcher: { dispatch }, secret, log: captured.log, fastPath });
  servers.push(server);
  return url;
}

function pullRequestPayload(action: string): Record<string, unknown> {
  const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: Record<string, unknown>[] }[];
  const example = examples.find((event) => event.name === "pull_request")?.examples.find((item) => item.action === "opened");
  if (!example) throw new Error("no pull_request.opened example in @octokit/webhooks-examples");
  return { ...structuredClone(example), action, installation: { id: 7 } };
}

/** The same deliveries, each sent with a fixed id so both servers see identical requests. */
function deliveries(): Delivery[] {
  const tagDeletion = { ...pushPayload(), ref: "refs/tags/v1", after: "0".repeat(40), deleted: true };
  const forged = signedDelivery("not-the-secret", "push", pushPayload());
  const notJson = signedDelivery(secret, "push", {});
  notJson.body = "{not json";
  notJson.headers = { ...notJson.headers, "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(notJson.body).digest("hex")}` };
  return [
    signedDelivery(secret, "push", pushPayload()),
    signedDelivery(secret, "push", tagDeletion),
    signedDelivery(secret, "pull_request", pullRequestPayload("opened")),
    signedDelivery(secret, "pull_request", pullRequestPayload("synchronize")),
    signedDelivery(secret, "pull_request", pullRequestPayload("closed")),
    signedDelivery(secret, "ping", { zen: "Keep it logically awesome.", hook_id: 1 }),
    forged,
    notJson,
  ];
}

describe("queue mode's fast path for push and pull_request", () => {
  it("answers and dispatches exactly as the path through Probot does", async () => {
    const sent = deliveries();
    const outcomes: { statuses: number[]; jobs: Recorded[] }[] = [];
    for (const fastPath of [false, true]) {
      const jobs: Recorded[] = [];
      const url = await serve(fastPath, async (name, data) => void jobs.push({ name, data }));
      const statuses: number[] = [];
      for (const delivery of sent) statuses.push(await deliver(url, delivery));
      outcomes.push({ statuses, jobs });
    }
    const [probot, fast] = outcomes;
    expect(fast).toEqual(probot);
    expect(fast?.statuses.slice(0, 6)).toEqual([202, 202, 202, 202, 202, 202]);
    expect(fast?.statuses[6]).toBe(400);
    expect(fast?.jobs.map((job) => job.name)).toEqual(["scan-push", "scan-pull-request", "scan-pull-request"]);
  });

  it("passes a dispatch failure on as the same status", async () => {
    const unavailable = Object.assign(new Error("job queue unavailable"), { status: 503 });
    const failing = async (): Promise<void> => {
      throw unavailable;
    };
    const delivery = signedDelivery(secret, "push", pushPayload());
    const statuses: number[] = [];
    for (const fastPath of [false, true]) statuses.push(await deliver(await serve(fastPath, failing), delivery));
    expect(statuses).toEqual([503, 503]);
  });

  it("takes push and the scanned pull_request actions, and leaves every other event to Probot", async () => {
    const names: string[] = [];
    const fastPath = createQueueFastPath({ dispatch: async (name) => void names.push(name) }, captured.log);
    await fastPath("push", "d1", pushPayload());
    await fastPath("pull_request", "d2", pullRequestPayload("reopened"));
    expect(names).toEqual(["scan-push", "scan-pull-request"]);
    expect(fastPath("pull_request", "d3", pullRequestPayload("closed"))).toBeUndefined();
    expect(fastPath("issue_comment", "d4", { action: "created" })).toBeUndefined();
    expect(fastPath("installation", "d5", { action: "created" })).toBeUndefined();
    expect(fastPath("push", "d6", null)).toBeUndefined();
  });
});
