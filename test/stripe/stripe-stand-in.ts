/**
 * A local stand-in for Stripe's API on 127.0.0.1 (plain HTTP, no outside
 * network): answers GET /v1/balance with scripted statuses and records which
 * bearer keys it was shown, so tests can prove where a key did (and did not) go.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { StripeApiOptions } from "../../src/stripe/index.js";

export type StripeAnswer = 200 | 401 | 403 | 429 | 500 | 503 | 400 | "hang" | "drop";

export class StripeStandIn {
  readonly keysSeen: string[] = [];
  readonly paths: string[] = [];
  readonly userAgents: string[] = [];
  private readonly script: StripeAnswer[] = [];
  private fallback: StripeAnswer = 200;
  private server: Server | undefined;

  /** Answers in order; after the script runs out, `fallback`. */
  answer(...answers: StripeAnswer[]): this {
    this.script.push(...answers);
    return this;
  }

  always(answer: StripeAnswer): this {
    this.fallback = answer;
    return this;
  }

  async start(): Promise<StripeApiOptions> {
    this.server = createServer((req, res) => {
      this.paths.push(`${req.method} ${req.url}`);
      this.userAgents.push(req.headers["user-agent"] ?? "");
      this.keysSeen.push((req.headers.authorization ?? "").replace(/^Bearer /, ""));
      const answer = this.script.shift() ?? this.fallback;
      if (answer === "hang") return;
      if (answer === "drop") {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer, { "content-type": "application/json", "request-id": "req_standin" });
      if (answer === 200) res.end(JSON.stringify({ object: "balance", available: [], pending: [], livemode: false }));
      else res.end(JSON.stringify({ error: { type: answer === 401 ? "invalid_request_error" : "api_error", message: "stand-in error" } }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    return { host: "127.0.0.1", port, protocol: "http", timeoutMs: 8000 };
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
