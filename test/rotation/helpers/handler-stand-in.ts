/**
 * A local HTTPS stand-in for the operator's rotation handler, on 127.0.0.1
 * with a self-signed certificate made at runtime (openssl), so no key or
 * certificate is ever committed. It answers from a script and records every
 * request (headers and body) for assertions.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Certificate {
  key: string;
  cert: string;
}

let cached: Certificate | undefined;

export function selfSignedCertificate(): Certificate {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), "slg-cert-"));
  try {
    execFileSync(
      "openssl",
      [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1",
        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    cached = { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type HandlerAnswer =
  | { status: number; json?: unknown; headers?: Record<string, string> }
  | "hang";

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  path: string;
}

export class HandlerStandIn {
  readonly received: ReceivedRequest[] = [];
  private readonly script: HandlerAnswer[] = [];
  private fallback: HandlerAnswer = { status: 200, json: { status: "rotated", message: "done" } };
  private server: Server | undefined;
  port = 0;

  answer(...answers: HandlerAnswer[]): this {
    this.script.push(...answers);
    return this;
  }

  clearScript(): void {
    this.script.length = 0;
  }

  always(answer: HandlerAnswer): this {
    this.fallback = answer;
    return this;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}/rotate`;
  }

  async start(): Promise<this> {
    const certificate = selfSignedCertificate();
    this.server = createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), path: req.url ?? "" });
        const answer = this.script.shift() ?? this.fallback;
        if (answer === "hang") return;
        res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
        res.end(answer.json === undefined ? "" : JSON.stringify(answer.json));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
