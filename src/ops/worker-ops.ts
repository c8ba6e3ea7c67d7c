import { Queue } from "bullmq";
import type { Logger } from "pino";
import type { InstallationOctokit } from "../jobs/types.js";
import { processMetrics } from "../metrics/index.js";
import type { Metrics } from "../metrics/index.js";
import { closeQuietly, createProducerConnection, createWorkerConnection } from "../queue/connection.js";
import { createOpsHandler } from "./ops-handler.js";
import { startOpsServer } from "./ops-server.js";
import type { OpsServer } from "./ops-server.js";
import { githubCredentialsCheck, redisCheck } from "./readiness.js";
import type { GitHubCredentialsEnv } from "./readiness.js";
import { DASHBOARD_QUEUES } from "./server-ops.js";
import { DEFAULT_SWEEP_EVERY_MS, startSweeper, stopSweeperSchedule } from "./sweeper-schedule.js";
import type { Sweeper } from "./sweeper-schedule.js";
import type { AppOctokit } from "./sweeper.js";
import { readOpenIncidents } from "./incident-census.js";

/*
 * What a worker process runs besides its job workers: its own /healthz,
 * /readyz and /metrics on METRICS_PORT, the webhook delivery sweeper and
 * the open-incident census.
 * One function to call from src/bin/worker.ts.
 */

export const DEFAULT_METRICS_PORT = 9464;

export interface WorkerOpsOptions {
  env: GitHubCredentialsEnv;
  log: Logger;
  redisUrl: string;
  prefix: string;
  /** METRICS_PORT; 0 picks a free port (tests). */
  port?: number | undefined;
  host?: string | undefined;
  /** SWEEP_EVERY_MINUTES; 0 removes the schedule. */
  sweepEveryMinutes?: number | undefined;
  /** An App-authenticated (JWT) Octokit, e.g. Probot's `auth()` without an installation id. */
  appOctokit: () => Promise<AppOctokit>;
  /** Installation auth (Probot's `auth(id)`), for the open-incident census; without it there is no census. */
  installationOctokit?: (installationId: number) => Promise<InstallationOctokit>;
  metrics?: Metrics;
}

export interface WorkerOps {
  metrics: Metrics;
  /** undefined when METRICS_PORT was taken. */
  port: number | undefined;
  sweeper?: Sweeper | undefined;
  close(): Promise<void>;
}

export async function startWorkerOps(options: WorkerOpsOptions): Promise<WorkerOps> {
  const metrics = options.metrics ?? processMetrics();
  // A fail-fast connection for probes and counts; the sweeper gets a patient worker connection.
  const probe = createProducerConnection(options.redisUrl, options.log);
  const queues = DASHBOARD_QUEUES.map((name) => new Queue(name, { connection: probe, prefix: options.prefix }));
  metrics.watchQueues(queues);
  metrics.setOpenIncidentsSource(() => readOpenIncidents(probe, options.prefix));
  const handler = createOpsHandler({ metrics, readiness: [githubCredentialsCheck(options.env), redisCheck(probe)] });
  const wanted = options.port ?? DEFAULT_METRICS_PORT;
  let server: OpsServer | undefined;
  try {
    server = await startOpsServer(handler, wanted, options.host ?? "0.0.0.0");
    options.log.info({ port: server.port }, "worker health and metrics listening");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    // A second worker on the same machine: keep processing jobs, say how to get its metrics too.
    options.log.warn({ port: wanted }, "METRICS_PORT is taken (another worker on this machine?): this worker serves no /healthz or /metrics; give each worker its own METRICS_PORT");
  }

  const sweeperConnection = createWorkerConnection(options.redisUrl, options.log);
  let sweeper: Sweeper | undefined;
  if (options.sweepEveryMinutes === 0) {
    await stopSweeperSchedule(sweeperConnection, options.prefix);
    options.log.info("webhook delivery sweeper and open-incident census off (SWEEP_EVERY_MINUTES=0)");
  } else {
    const everyMs = options.sweepEveryMinutes === undefined ? DEFAULT_SWEEP_EVERY_MS : options.sweepEveryMinutes * 60_000;
    sweeper = await startSweeper({
      connection: sweeperConnection,
      prefix: options.prefix,
      appOctokit: options.appOctokit,
      log: options.log,
      metrics,
      everyMs,
      ...(options.installationOctokit ? { installationOctokit: options.installationOctokit } : {}),
    });
    options.log.info({ everyMs }, "webhook delivery sweeper scheduled");
  }

  return {
    metrics,
    port: server?.port,
    sweeper,
    async close() {
      await sweeper?.close();
      await server?.close();
      await Promise.allSettled(queues.map((queue) => queue.close()));
      await closeQuietly(probe);
      await closeQuietly(sweeperConnection);
    },
  };
}
