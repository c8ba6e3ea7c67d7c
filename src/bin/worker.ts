import { parseArgs } from "node:util";
import { EnvError, pepperFrom, readEnv } from "../config/env.js";
import { processors } from "../jobs/processors.js";
import { warnAboutAlertSettings } from "../alerts/settings.js";
import { warnAboutRotationSettings } from "../rotation/settings.js";
import { createLogger, logLevelFrom } from "../log/index.js";
import { observeRateLimit, processMetrics } from "../metrics/index.js";
import { startWorkerOps } from "../ops/worker-ops.js";
import type { AppOctokit } from "../ops/sweeper.js";
import { createProbotFromEnv, hasAppCredentials } from "../probot/from-env.js";
import { DEFAULT_PREFIX, QUEUE_NAMES, type QueueName } from "../queue/names.js";
import { GITHUB_WRITE_LIMITS } from "../queue/pacing.js";
import { untilSignal } from "../queue/shutdown.js";
import { startWorkerProcess } from "../queue/worker-process.js";

const USAGE = `Usage: stripe-leak-guard worker [options]

Runs scan, verification and rotation jobs from the BullMQ queues in Redis.
Start as many as you like, on as many machines as you like.

Options:
  --concurrency <n>   jobs run at the same time per queue (default: WORKER_CONCURRENCY or 4)
  --queues <list>     comma-separated queues to serve: ${QUEUE_NAMES.join(",")} (default: all)
  -h, --help          show this help

Environment:
  REDIS_URL (required), QUEUE_PREFIX, WORKER_CONCURRENCY, GITHUB_WRITES_PER_MINUTE,
  GITHUB_WRITES_PER_HOUR, STRIPE_LEAK_GUARD_PEPPER, and Probot's APP_ID,
  PRIVATE_KEY or PRIVATE_KEY_PATH, GHE_HOST, GHE_PROTOCOL, LOG_LEVEL.

SIGTERM or SIGINT finishes the active jobs, then exits 0.
`;

export async function run(argv: string[]): Promise<number> {
  let values: { concurrency?: string | undefined; queues?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { concurrency: { type: "string" }, queues: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`stripe-leak-guard worker: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  let env;
  let level;
  try {
    env = readEnv(process.env);
    level = logLevelFrom(process.env.LOG_LEVEL);
  } catch (error) {
    console.error(`stripe-leak-guard worker: ${error instanceof EnvError ? error.message : (error as Error).message}`);
    return 2;
  }
  if (!env.REDIS_URL) {
    console.error("stripe-leak-guard worker: REDIS_URL is not set. Workers take jobs from Redis; without Redis, `stripe-leak-guard server` runs every job itself.");
    return 2;
  }
  if (!hasAppCredentials(process.env)) {
    console.error("stripe-leak-guard worker: APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) must be set; register the App first with `stripe-leak-guard server`.");
    return 2;
  }
  const concurrency = values.concurrency === undefined ? (env.WORKER_CONCURRENCY ?? 4) : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100) {
    console.error("stripe-leak-guard worker: --concurrency must be a whole number from 1 to 100");
    return 2;
  }
  const queues = values.queues === undefined ? QUEUE_NAMES : values.queues.split(",").map((name) => name.trim());
  const unknown = queues.filter((name) => !(QUEUE_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0 || queues.length === 0) {
    console.error(`stripe-leak-guard worker: unknown queue ${unknown.join(", ") || "(none given)"}; choose from ${QUEUE_NAMES.join(", ")}`);
    return 2;
  }

  const log = createLogger({ level, base: { name: "worker", pid: process.pid } });
  warnAboutAlertSettings(log);
  warnAboutRotationSettings(env, log);
  const probot = createProbotFromEnv(process.env, log);
  const prefix = env.QUEUE_PREFIX ?? DEFAULT_PREFIX;
  const worker = await startWorkerProcess({
    redisUrl: env.REDIS_URL,
    prefix,
    processors,
    octokitFor: async (installationId) => {
      const octokit = await probot.auth(installationId);
      observeRateLimit(octokit, installationId, processMetrics());
      return octokit;
    },
    pepper: pepperFrom(env),
    log,
    concurrency,
    queues: queues as QueueName[],
    paceLimits: {
      ...GITHUB_WRITE_LIMITS,
      perMinute: env.GITHUB_WRITES_PER_MINUTE ?? GITHUB_WRITE_LIMITS.perMinute,
      perHour: env.GITHUB_WRITES_PER_HOUR ?? GITHUB_WRITE_LIMITS.perHour,
    },
  });
  // Health and metrics on METRICS_PORT, and the webhook delivery sweeper (GitHub never retries a failed delivery).
  const ops = await startWorkerOps({
    env: process.env,
    log,
    redisUrl: env.REDIS_URL,
    prefix,
    port: env.METRICS_PORT,
    sweepEveryMinutes: env.SWEEP_EVERY_MINUTES,
    appOctokit: async () => (await probot.auth()) as AppOctokit,
    installationOctokit: (installationId) => probot.auth(installationId),
  });
  return untilSignal(async () => {
    await worker.close();
    await ops.close();
  }, log);
}
