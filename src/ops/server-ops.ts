import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { deliveryOutcomeOf, processMetrics } from "../metrics/index.js";
import type { Metrics } from "../metrics/index.js";
import { closeQuietly, createProducerConnection } from "../queue/connection.js";
import { QUEUE_NAMES } from "../queue/names.js";
import { adminAuthFrom } from "./admin-auth.js";
import type { AdminEnv } from "./admin-auth.js";
import { createDashboard } from "./dashboard.js";
import { createOpsHandler } from "./ops-handler.js";
import { githubCredentialsCheck, redisCheck } from "./readiness.js";
import type { GitHubCredentialsEnv, ReadinessCheck } from "./readiness.js";
import { readOpenIncidents } from "./incident-census.js";
import { MAINTENANCE_QUEUE } from "./sweeper-schedule.js";

/*
 * Everything operational the webhook server adds in front of its webhook
 * route: /healthz, /readyz, /metrics, the dashboard, and a count of every
 * webhook answer by event and outcome. One function to call from
 * src/bin/server.ts; `handle` returns true when it answered the request.
 */

export interface ServerOpsOptions {
  env: AdminEnv & GitHubCredentialsEnv;
  log: Logger;
  /** Unset in single-process mode: no queues to count, no dashboard, no Redis readiness. */
  redisUrl?: string | undefined;
  prefix: string;
  /** The webhook route, to count deliveries (e.g. /api/github/webhooks). */
  webhookPath: string;
  metrics?: Metrics;
}

export interface ServerOps {
  metrics: Metrics;
  handle(request: IncomingMessage, response: ServerResponse): boolean;
  close(): Promise<void>;
}

/** Every queue the deployment uses, for counts and the dashboard (the sweeper's included). */
export const DASHBOARD_QUEUES = [...QUEUE_NAMES, MAINTENANCE_QUEUE] as const;

export function createServerOps(options: ServerOpsOptions): ServerOps {
  const metrics = options.metrics ?? processMetrics();
  const readiness: ReadinessCheck[] = [githubCredentialsCheck(options.env)];
  const auth = adminAuthFrom(options.env);
  let connection: Redis | undefined;
  let queues: Queue[] = [];
  if (options.redisUrl) {
    connection = createProducerConnection(options.redisUrl, options.log);
    const shared = connection;
    queues = DASHBOARD_QUEUES.map((name) => new Queue(name, { connection: shared, prefix: options.prefix }));
    readiness.push(redisCheck(shared));
    metrics.watchQueues(queues);
    metrics.setOpenIncidentsSource(() => readOpenIncidents(shared, options.prefix));
  }
  let dashboard: RequestListener | undefined;
  if (auth && queues.length > 0) {
    dashboard = createDashboard({ queues, auth });
    options.log.info({ path: "/admin/queues", auth: [auth.basic ? "basic" : "", auth.bearer ? "bearer" : ""].filter(Boolean) }, "queue dashboard on");
  } else if (auth) {
    options.log.warn("ADMIN_* credentials are set but REDIS_URL is not: there are no queues, so no dashboard");
  }
  const ops = createOpsHandler({ metrics, readiness, dashboard });
  const webhookPath = options.webhookPath.replace(/\/+$/, "");

  return {
    metrics,
    handle(request, response) {
      if (ops(request, response)) return true;
      const path = (request.url ?? "/").split("?")[0]?.replace(/\/+$/, "");
      if (request.method === "POST" && path === webhookPath) {
        const event = typeof request.headers["x-github-event"] === "string" ? request.headers["x-github-event"] : "unknown";
        response.once("finish", () => metrics.webhookDelivered(event, deliveryOutcomeOf(response.statusCode)));
      }
      return false;
    },
    async close() {
      await Promise.allSettled(queues.map((queue) => queue.close()));
      if (connection) await closeQuietly(connection);
    },
  };
}
