import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApplicationFunction, Probot } from "probot";
import type { Logger } from "pino";
import { fastPathTakes, type FastPath } from "./queue-fast-path.js";

/*
 * Our HTTP layer in front of Probot's webhook verification. Probot's own
 * middleware answers 500 for every handler error; we answer 503 when the job
 * queue is unreachable (GitHub records the failure and the delivery can be
 * redelivered), cap the body, and log failures without the event payload.
 * Verification is @octokit/webhooks' verifyAndReceive, as in Probot.
 */

/**
 * GitHub gives a delivery 10 s. In single-process mode the jobs run inside the
 * request; after this long we answer 202 and let them finish (as Probot does).
 */
export const STILL_PROCESSING_AFTER_MS = 9_000;

/** GitHub does not deliver payloads over 25 MB; anything bigger is not GitHub. */
export const MAX_WEBHOOK_BYTES = 26 * 1024 * 1024;
const REQUIRED_HEADERS = ["x-github-event", "x-hub-signature-256", "x-github-delivery"] as const;

export interface WebhookServerOptions {
  probot: Probot;
  appFn: ApplicationFunction;
  path: string;
  host: string;
  port: number;
  log: Logger;
  maxBodyBytes?: number;
  stillProcessingAfterMs?: number;
  /** Queue mode: push and pull_request deliveries skip Probot's per-event set-up (createQueueFastPath). */
  fastPath?: FastPath;
  /** Answers its own routes first (/healthz, /readyz, /metrics, /admin/queues); true when it did. */
  before?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface WebhookServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const handler = await createWebhookHandler(options);
  const server = createServer((req, res) => {
    if (options.before?.(req, res)) return;
    void handler(req, res);
  });
  // Keep-alive from a proxy must not hold shutdown open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`;
  options.log.info({ url: `${url}${options.path}` }, "listening for webhooks");
  return { url, port, close: () => closeServer(server) };
}

export async function createWebhookHandler(
  options: Pick<WebhookServerOptions, "probot" | "appFn" | "path" | "log" | "maxBodyBytes" | "stillProcessingAfterMs" | "fastPath">,
): Promise<(req: IncomingMessage, res: ServerResponse) => Promise<void>> {
  const { probot, path, log } = options;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_WEBHOOK_BYTES;
  await probot.ready();
  await probot.load(options.appFn, {
    cwd: process.cwd(),
    addHandler: () => {
      throw new Error("custom HTTP routes are not supported by stripe-leak-guard server");
    },
  });

  return async (req, res) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname.replace(/\/+$/, "") || "/";
    if (pathname === "/health" || pathname === "/ping") return send(res, 200, "ok\n");
    if (pathname !== path.replace(/\/+$/, "")) return send(res, 404, "not found\n");
    if (req.method !== "POST") return send(res, 405, "POST only\n", { allow: "POST" });
    if (!/^\s*application\/json\s*(;|$)/i.test(req.headers["content-type"] ?? "")) {
      return send(res, 415, "content-type must be application/json\n");
    }
    const missing = REQUIRED_HEADERS.filter((name) => typeof req.headers[name] !== "string");
    if (missing.length > 0) return send(res, 400, `missing headers: ${missing.join(", ")}\n`);
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBodyBytes) return send(res, 413, "payload too large\n", { connection: "close" }, req);

    const body = await readBody(req, maxBodyBytes);
    if (body === undefined) return send(res, 413, "payload too large\n", { connection: "close" }, req);

    const id = req.headers["x-github-delivery"] as string;
    const name = req.headers["x-github-event"] as string;
    const signature = req.headers["x-hub-signature-256"] as string;
    const received =
      (await receiveDirectly(id, name, body, signature))?.received ??
      probot.webhooks.verifyAndReceive({
        id,
        name: name as Parameters<Probot["webhooks"]["verifyAndReceive"]>[0]["name"],
        payload: body,
        signature,
      });
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<"slow">((resolve) => {
      timer = setTimeout(() => resolve("slow"), options.stillProcessingAfterMs ?? STILL_PROCESSING_AFTER_MS);
    });
    const outcome = await Promise.race([received.then(() => "ok" as const, (error: unknown) => ({ error })), slow]);
    clearTimeout(timer);
    if (outcome === "slow") {
      send(res, 202, "still processing\n");
      received.catch((error: unknown) => logFailure(error, statusFor(errorsOf(error))));
      return;
    }
    if (outcome === "ok") return send(res, 202, "accepted\n");
    const status = statusFor(errorsOf(outcome.error));
    logFailure(outcome.error, status);
    const headers: Record<string, string> = status === 503 ? { "retry-after": "60" } : {};
    const text = status === 503 ? "job queue unavailable, try again later" : status === 400 ? "bad request" : "internal error";
    return send(res, status, `${text}\n`, headers);

    /** The fast path's dispatch, or undefined to let Probot verify and handle the delivery as usual. */
    async function receiveDirectly(id: string, name: string, body: string, signature: string): Promise<{ received: Promise<void> } | undefined> {
      const fastPath = options.fastPath;
      if (!fastPath || !fastPathTakes(name)) return undefined;
      if (!(await probot.webhooks.verify(body, signature).catch(() => false))) return undefined;
      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch {
        return undefined;
      }
      // Wrapped: an async function would otherwise wait for the dispatch itself.
      try {
        const received = fastPath(name, id, payload);
        return received && { received };
      } catch (error) {
        return { received: Promise.reject(error) };
      }
    }

    function logFailure(error: unknown, status: number): void {
      if (status === 400) {
        log.warn({ deliveryId: id, event: name }, "webhook refused: bad signature or body");
        return;
      }
      const reasons = errorsOf(error).map((item) => (item instanceof Error ? `${item.name}: ${item.message}` : String(item)));
      log.error({ deliveryId: id, event: name, status, reasons }, "webhook failed");
    }
  };
}

function errorsOf(error: unknown): unknown[] {
  return error instanceof AggregateError ? (error.errors as unknown[]) : [error];
}

function statusFor(errors: unknown[]): number {
  const statuses = errors.map((item) => (item as { status?: unknown } | null)?.status);
  if (statuses.includes(400)) return 400;
  if (statuses.includes(503)) return 503;
  return 500;
}

/** Reads at most maxBytes; undefined when the body is bigger (the rest is not buffered). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        done = true;
        chunks.length = 0;
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!done) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}, req?: IncomingMessage): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  // Stop reading an oversized upload once the answer is out.
  res.end(text, () => {
    if (req && status === 413) req.destroy();
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
