import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { OpsHandler } from "./ops-handler.js";

/*
 * The worker's own small HTTP server: the same /healthz, /readyz and /metrics
 * as the webhook server, on METRICS_PORT, so every process can be scraped and
 * probed on its own.
 */

export interface OpsServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function startOpsServer(handler: OpsHandler, port: number, host = "0.0.0.0"): Promise<OpsServer> {
  const server = createServer((request, response) => {
    if (!handler(request, response)) {
      response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
