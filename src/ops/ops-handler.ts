import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Metrics } from "../metrics/index.js";
import { runReadiness } from "./readiness.js";
import type { ReadinessCheck } from "./readiness.js";
import { DASHBOARD_PATH } from "./dashboard.js";

/*
 * /healthz, /readyz, /metrics and (when enabled) /admin/queues for a plain
 * node:http server. The server puts it in front of Probot's middleware; the
 * worker serves it alone on METRICS_PORT.
 */

export interface OpsHandlerOptions {
  metrics: Metrics;
  readiness: readonly ReadinessCheck[];
  /** The Bull Board app from createDashboard(); absent means /admin/queues is a 404. */
  dashboard?: RequestListener | undefined;
}

/** Returns true when it answered the request; false leaves it to the next handler. */
export type OpsHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

export function createOpsHandler(options: OpsHandlerOptions): OpsHandler {
  return (request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (options.dashboard && (path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`))) {
      options.dashboard(request, response);
      return true;
    }
    const route = ROUTES[path];
    if (!route) return false;
    if (request.method !== "GET" && request.method !== "HEAD") {
      send(response, 405, "text/plain; charset=utf-8", "method not allowed\n", { Allow: "GET, HEAD" });
      return true;
    }
    route(options, response).catch((error: unknown) => {
      send(response, 500, "text/plain; charset=utf-8", `${error instanceof Error ? error.message : "error"}\n`);
    });
    return true;
  };
}

type Route = (options: OpsHandlerOptions, response: ServerResponse) => Promise<void>;

const ROUTES: Record<string, Route> = {
  "/healthz": async (_options, response) => {
    sendJson(response, 200, { status: "ok" });
  },
  "/readyz": async (options, response) => {
    const report = await runReadiness(options.readiness);
    sendJson(response, report.ready ? 200 : 503, { status: report.ready ? "ready" : "not ready", checks: report.checks });
  },
  "/metrics": async (options, response) => {
    send(response, 200, options.metrics.contentType, await options.metrics.render());
  },
};

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, "application/json; charset=utf-8", `${JSON.stringify(body)}\n`);
}

function send(response: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  if (response.headersSent) return;
  response.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", ...headers });
  response.end(response.req?.method === "HEAD" ? undefined : body);
}
