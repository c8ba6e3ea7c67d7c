/*
 * The logger wired into a real Probot: signed deliveries over HTTP carrying a
 * canary key in a commit message and a PR body, a handler that logs the whole
 * payload at trace and one that fails with the key in its error. Probot's own
 * request logging, its event child loggers and its error handler (which logs
 * the error with the webhook payload attached) all write through our logger.
 */
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeMiddleware, Probot } from "probot";
import type { ApplicationFunction } from "probot";
import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import { createLogger, identityOfEvent, logForWork } from "../../src/log/index.js";
import { fakeKey } from "../helpers/fake-keys.js";
import { captureStream, occurrences } from "./capture.js";

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];
const key = fakeKey("sk", "live");
const secret = randomUUID();
const capture = captureStream();
let server: Server;
let url: string;

function example(name: string, action?: string): Record<string, unknown> {
  const group = examples.find((entry) => entry.name === name);
  const found = group?.examples.find((payload) => !action || (payload as { action?: string }).action === action);
  if (!found) throw new Error(`no example for ${name}`);
  return structuredClone(found) as Record<string, unknown>;
}

const appFn: ApplicationFunction = (app) => {
  app.on("push", async (context) => {
    const log = logForWork(context.log, identityOfEvent(context));
    log.trace({ payload: context.payload }, "push received");
    log.debug(`head commit: ${context.payload.head_commit?.message ?? ""}`);
    throw new Error(`scan failed near ${context.payload.head_commit?.message ?? ""}`);
  });
  app.on("pull_request", async (context) => {
    context.log.trace("pull request body %s", context.payload.pull_request.body ?? "");
    context.log.info({ pr: context.payload.pull_request }, "pull request");
  });
};

async function deliver(name: string, payload: Record<string, unknown>): Promise<number> {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  const response = await fetch(`${url}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": name,
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": signature,
    },
    body,
  });
  await response.text();
  return response.status;
}

beforeAll(async () => {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const log = createLogger({ level: "trace", destination: capture });
  const probot = new Probot({ appId: 1, privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString(), secret, log });
  const middleware = await createNodeMiddleware(appFn, { probot });
  server = createServer((request, response) => {
    void middleware(request, response, () => {
      response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("Probot with the redacting logger", () => {
  it("logs a canary key 0 times at trace level across a push, a pull request and a failing handler", async () => {
    const push = example("push");
    const commits = (push.commits as Array<{ message: string }>) ?? [];
    const message = `add payment config ${key}`;
    push.commits = commits.length ? commits.map((commit) => ({ ...commit, message })) : [{ id: "a", message }];
    push.head_commit = { ...(push.head_commit as object), message };
    push.installation = { id: 4242, node_id: "x" };

    const pull = example("pull_request", "opened");
    pull.pull_request = { ...(pull.pull_request as object), body: `rotate ${key} please` };
    pull.installation = { id: 4242, node_id: "x" };

    expect(await deliver("push", push)).toBe(500);
    expect(await deliver("pull_request", pull)).toBe(200);

    const text = capture.text();
    // The run really logged the events, the failure and the payload-bearing lines.
    expect(text).toContain("push received");
    expect(text).toContain("scan failed near add payment config sk_live_…");
    expect(text).toContain("pull request body rotate sk_live_…");
    expect(text).toMatch(/"deliveryId":"[0-9a-f-]{36}","installation":4242/);
    // Probot's error handler logs the error with the payload attached; only its identity remains.
    expect(text).toMatch(/"event":\{"id":"[0-9a-f-]{36}","name":"push","installation":4242,"repo":"[^"]+","payload":"\[omitted\]"\}/);
    expect(occurrences(text, key)).toBe(0);
  });
});
