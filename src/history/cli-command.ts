/*
 * `stripe-leak-guard scan-history --installation <id> [--repo owner/name]`:
 * the operator's way to run full-history scans, for one repository or every
 * repository of an installation. Runs them here, one at a time, and prints a
 * line per repository; with --queue (and REDIS_URL) hands them to the
 * workers instead. Incidents open as for the issue command; there is no
 * issue to comment on, so the result goes to stdout.
 */
import { parseArgs } from "node:util";
import type { CliIO } from "../cli/io.js";
import { EnvError, pepperFrom, readEnv } from "../config/env.js";
import { getInstallationRepo, listInstallationRepos, type InstallationRepo } from "../github/installation-repos.js";
import { scanHistoryAndReport } from "../jobs/scan-history-repo.js";
import type { ScanHistoryRepoJob } from "../jobs/types.js";
import { createInProcessLock } from "../lock/keyed-lock.js";
import { createLogger, logLevelFrom } from "../log/index.js";
import { createProbotFromEnv, hasAppCredentials } from "../probot/from-env.js";

export const USAGE = `Usage: stripe-leak-guard scan-history --installation <id> [--repo owner/name] [--queue]

Scans the full git history (every branch and tag) of one repository, or of
every repository the installation can see, from a bare clone made with the
installation token. Opens or updates one incident per key found, naming the
commit that introduced it, and removes each clone afterwards.

Options:
  --installation <id>  the App installation to act as (required)
  --repo <owner/name>  only this repository (default: all of the installation's)
  --queue              queue the scans for the workers (needs REDIS_URL) instead of running them here
  -h, --help           show this help

Environment: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, GHE_HOST, GHE_PROTOCOL,
STRIPE_LEAK_GUARD_PEPPER, REDIS_URL and QUEUE_PREFIX (with --queue), LOG_LEVEL.
`;

interface Args {
  installationId: number;
  repo?: { owner: string; name: string };
  queue: boolean;
}

function parse(argv: string[]): Args | { help: true } | { error: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { installation: { type: "string" }, repo: { type: "string" }, queue: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (values.help) return { help: true };
  const installationId = Number(values.installation);
  if (values.installation === undefined || !Number.isSafeInteger(installationId) || installationId <= 0) return { error: "--installation <id> is required (a positive number)" };
  const args: Args = { installationId, queue: values.queue === true };
  if (values.repo !== undefined) {
    const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(values.repo);
    if (!match) return { error: `--repo must be owner/name (got ${JSON.stringify(values.repo)})` };
    args.repo = { owner: match[1] as string, name: match[2] as string };
  }
  return args;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parse(argv);
  if ("help" in args) {
    io.stdout.write(USAGE);
    return 0;
  }
  if ("error" in args) {
    io.stderr.write(`stripe-leak-guard scan-history: ${args.error}\n\n${USAGE}`);
    return 2;
  }
  let env;
  try {
    env = readEnv(io.env);
  } catch (error) {
    io.stderr.write(`stripe-leak-guard scan-history: ${error instanceof EnvError ? error.message : (error as Error).message}\n`);
    return 2;
  }
  if (!hasAppCredentials(io.env)) {
    io.stderr.write("stripe-leak-guard scan-history: APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) must be set.\n");
    return 2;
  }
  if (args.queue && !env.REDIS_URL) {
    io.stderr.write("stripe-leak-guard scan-history: --queue needs REDIS_URL.\n");
    return 2;
  }

  // Log lines go to stderr; stdout holds one result line per repository.
  const log = createLogger({ level: logLevelFrom(io.env.LOG_LEVEL ?? "warn"), base: { name: "scan-history" }, destination: process.stderr });
  const probot = createProbotFromEnv(io.env, log);
  try {
    const octokit = await probot.auth(args.installationId);
    const repos: InstallationRepo[] = args.repo ? [await getInstallationRepo(octokit, args.repo.owner, args.repo.name)] : await listInstallationRepos(octokit);
    const runId = `cli-${Date.now()}`;
    const jobs: ScanHistoryRepoJob[] = repos.map((repo) => ({
      installationId: args.installationId,
      owner: repo.owner,
      repo: repo.name,
      repoId: repo.id,
      htmlUrl: repo.htmlUrl,
      requestId: runId,
    }));
    if (args.queue) return await enqueue(jobs, env.REDIS_URL as string, env.QUEUE_PREFIX, io, log);

    let failures = 0;
    for (const job of jobs) {
      const name = `${job.owner}/${job.repo}`;
      try {
        const result = await scanHistoryAndReport(job, { octokit, log, pepper: pepperFrom(env), lock: createInProcessLock() });
        const incidents = result.incidents.filter((outcome) => outcome.action !== "skipped").map((outcome) => `${outcome.action} #${outcome.issueNumber}`);
        io.stdout.write(`${name}: ${result.commits} commits, ${result.keys.length} keys${incidents.length > 0 ? `, incidents: ${incidents.join(", ")}` : ""}\n`);
      } catch (error) {
        failures++;
        io.stdout.write(`${name}: FAILED (${(error as Error).message})\n`);
      }
    }
    return failures > 0 ? 2 : 0;
  } catch (error) {
    io.stderr.write(`stripe-leak-guard scan-history: ${(error as Error).message}\n`);
    return 2;
  }
}

async function enqueue(jobs: readonly ScanHistoryRepoJob[], redisUrl: string, prefix: string | undefined, io: CliIO, log: ReturnType<typeof createLogger>): Promise<number> {
  const { createBullDispatcher } = await import("../queue/dispatcher.js");
  const { createProducerConnection } = await import("../queue/connection.js");
  const { DEFAULT_PREFIX } = await import("../queue/names.js");
  const dispatcher = createBullDispatcher({ connection: createProducerConnection(redisUrl, log), prefix: prefix ?? DEFAULT_PREFIX, log });
  try {
    for (const job of jobs) await dispatcher.dispatch("scan-history-repo", job);
    io.stdout.write(`queued ${jobs.length} history scan(s) on the backfill queue\n`);
    return 0;
  } finally {
    await dispatcher.close();
  }
}
