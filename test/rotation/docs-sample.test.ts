/**
 * docs/rotation-handlers.md must not lie: its sample receiver is extracted,
 * started as its own process, and sent requests signed by the App's own code.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer, connect } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBody } from "../../src/rotation/signature.js";

const SECRET = "docs-sample-secret-value";
let child: ChildProcess | undefined;
let dir = "";
let port = 0;

function sampleSource(): string {
  const doc = readFileSync(new URL("../../docs/rotation-handlers.md", import.meta.url), "utf8");
  const section = doc.slice(doc.indexOf("## Sample receiver (Node)"));
  const match = /```js\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error("no sample receiver in docs/rotation-handlers.md");
  return match[1];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port: chosen } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return chosen;
}

async function waitForListening(): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("sample receiver did not start");
}

function post(body: string, signature: string): Promise<{ status: number; json: { status?: string; message?: string } }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, method: "POST", path: "/", headers: { "content-type": "application/json", "stripe-leak-guard-signature": signature } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) as { status?: string } }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const body = JSON.stringify({
  version: 1,
  idempotencyId: "a".repeat(40),
  trigger: "auto",
  incident: { repository: "octo/shop", repositoryId: 1, issueNumber: 7, url: "https://github.com/octo/shop/issues/7" },
  key: { kind: "secret", mode: "live", redacted: "sk_live_…abcd", fingerprint: "f".repeat(64) },
  locations: [],
  verification: "not-checked",
});
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "slg-docs-sample-"));
  const file = join(dir, "rotation-receiver.mjs");
  writeFileSync(file, sampleSource());
  port = await freePort();
  child = spawn(process.execPath, [file], { env: { PATH: process.env.PATH ?? "", ROTATION_HANDLER_SECRET: SECRET, PORT: String(port) }, stdio: "ignore" });
  await waitForListening();
});

afterAll(() => {
  child?.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
});

describe("the sample receiver in docs/rotation-handlers.md", () => {
  it("accepts a request the App signed, and answers pending", async () => {
    expect(await post(body, signBody(SECRET, body, now()))).toMatchObject({ status: 200, json: { status: "pending" } });
  });

  it("recognises a repeat by its idempotency id", async () => {
    expect(await post(body, signBody(SECRET, body, now()))).toMatchObject({ status: 200, json: { message: "Already being handled." } });
  });

  it("rejects a timestamp more than 300 s old", async () => {
    expect(await post(body, signBody(SECRET, body, now() - 301))).toEqual({ status: 400, json: { message: "timestamp too old" } });
  });

  it("rejects a wrong secret, a changed body and a missing header", async () => {
    expect((await post(body, signBody("some-other-secret-value", body, now()))).status).toBe(400);
    expect((await post(body.replace("octo", "evil"), signBody(SECRET, body, now()))).status).toBe(400);
    expect(await post(body, "")).toEqual({ status: 400, json: { message: "malformed signature header" } });
  });
});
