import { parseArgs } from "node:util";
import { run as runProbotSetup } from "probot";
import { createApp } from "../app.js";
import { EnvError, pepperFrom, readEnv, type Env } from "../config/env.js";
import { createInProcessDispatcher } from "../jobs/dispatch-in-process.js";
import type { Dispatcher } from "../jobs/types.js";
import { settleBackground } from "../alerts/background.js";
import { warnAboutAlertSettings } from "../alerts/settings.js";
import { warnAboutRotationSettings } from "../rotation/settings.js";
import { createLogger, logLevelFrom, type Logger } from "../log/index.js";
import { observeRateLimit, processMetrics } from "../metrics/index.js";
import { createServerOps } from "../ops/server-ops.js";
import { createProbotFromEnv, hasAppCredentials, webhookPathFrom } from "../probot/from-env.js";
import { createQueueFastPath, type FastPath } from "../probot/queue-fast-path.js";
import { startWebhookServer } from "../probot/webhook-server.js";
import { createProducerConnection } from "../queue/connection.js";
import { createBullDispatcher } from "../queue/dispatcher.js";
import { DEFAULT_PREFIX } from "../queue/names.js";
import { createMemoryPacer, GITHUB_WRITE_LIMITS, paceWrites } from "../queue/pacing.js";
import { untilSignal } from "../queue/shutdown.js";

/** Within the usual 30 s between SIGTERM and SIGKILL, leaving time to close connections. */
const BACKGROUND_GRACE_MS = 20_000;

const USAGE = `Usage: stripe-leak-guard server [options]

Receives GitHub webhooks, verifies their signature and hands each event on.
With REDIS_URL set, every job goes to the BullMQ queue and the webhook is
answered at once; run \`stripe-leak-guard worker\` processes to do the work.
Without REDIS_URL, this process runs the jobs itself (one machine, no Redis).
With no App credentials yet, it starts Probot's setup flow to register the App.

Options:
  --port <n>     port to listen on (default: PORT or 3000)
  --host <host>  address to bind (default: HOST or localhost; use 0.0.0.0 in a container)
  -h, --help     show this help

Environment:
  APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, WEBHOOK_PATH, GHE_HOST,
  GHE_PROTOCOL, LOG_LEVEL, HOST, PORT (Probot's), and REDIS_URL, QUEUE_PREFIX,
  STRIPE_LEAK_GUARD_PEPPER.
`;

export async function run(argv: string[]): Promise<number> {
  let values: { port?: string | undefined; host?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { port: { type: "string" }, host: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`stripe-leak-guard server: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  let env: Env;
  let log: Logger;
  try {
    env = readEnv(process.env);
    log = createLogger({ level: logLevelFrom(process.env.LOG_LEVEL), base: { name: "server", pid: process.pid } });
  } catch (error) {
    console.error(`stripe-leak-guard server: ${error instanceof EnvError ? error.message : (error as Error).message}`);
    return 2;
  }
  warnAboutAlertSettings(log);
  warnAboutRotationSettings(env, log);
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error("stripe-leak-guard server: the port must be a whole number from 0 to 65535");
    return 2;
  }
  const host = values.host ?? process.env.HOST ?? "localhost";

  if (!hasAppCredentials(process.env)) {
    // Probot's own flow registers the App from app.yml and writes APP_ID, PRIVATE_KEY and WEBHOOK_SECRET to .env.
    log.info("no App credentials (APP_ID, PRIVATE_KEY): starting Probot's setup flow");
    process.env.PORT = String(port);
    process.env.HOST = host;
    const setup = await runProbotSetup(createApp());
    return untilSignal(async () => void (await setup.stop()), log);
  }

  if (!process.env.WEBHOOK_SECRET?.trim()) {
    console.error("stripe-leak-guard server: WEBHOOK_SECRET is not set. Use the webhook secret from the App's settings; every delivery's signature is checked with it.");
    return 2;
  }
  const probot = createProbotFromEnv(process.env, log);
  const pepper = pepperFrom(env);
  const prefix = env.QUEUE_PREFIX ?? DEFAULT_PREFIX;
  const webhookPath = webhookPathFrom(process.env);
  let dispatcher: Dispatcher;
  let closeDispatcher = async () => undefined as void;
  let fastPath: FastPath | undefined;
  if (env.REDIS_URL) {
    const bull = createBullDispatcher({ connection: createProducerConnection(env.REDIS_URL, log), prefix, log });
    dispatcher = bull;
    closeDispatcher = () => bull.close();
    fastPath = createQueueFastPath(bull, log);
    log.info({ prefix }, "queue mode: webhooks become BullMQ jobs; run `stripe-leak-guard worker` to process them");
  } else {
    const pacer = createMemoryPacer(GITHUB_WRITE_LIMITS);
    dispatcher = createInProcessDispatcher({
      auth: async (installationId) => {
        const octokit = await probot.auth(installationId);
        observeRateLimit(octokit, installationId, processMetrics());
        return paceWrites(octokit, installationId, pacer);
      },
      log,
      pepper,
    });
    log.info("single-process mode (REDIS_URL unset): jobs run in this process");
  }

  const ops = createServerOps({
    env: process.env,
    log,
    redisUrl: env.REDIS_URL,
    prefix,
    webhookPath,
  });
  const server = await startWebhookServer({
    probot,
    appFn: createApp({ dispatcher, pepper }),
    path: webhookPath,
    host,
    port,
    log,
    before: ops.handle,
    ...(fastPath ? { fastPath } : {}),
  });
  return untilSignal(async () => {
    await server.close();
    // Single-process mode runs alerts and report refreshes in the background; give them the grace period, not more.
    const unfinished = await settleBackground(BACKGROUND_GRACE_MS);
    if (unfinished > 0) log.warn({ unfinished }, "stopping with background work (alerts, report refreshes) unfinished");
    await closeDispatcher();
    await ops.close();
  }, log);
}
