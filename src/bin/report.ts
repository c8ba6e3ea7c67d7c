/*
 * `stripe-leak-guard report --installation <id>`: the open incidents across
 * an installation's repositories, by severity, age, verification and
 * rotation status, with a chart of incidents opened and closed per week.
 * Authenticates as the App (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, and
 * GHE_HOST/GHE_PROTOCOL for GitHub Enterprise Server), then as the
 * installation. Output goes to stdout; progress and problems to stderr.
 */
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { processIO, type CliIO } from "../cli/io.js";
import { statusOf } from "../github/issues.js";
import type { InstallationOctokit } from "../jobs/types.js";
import { publishReport } from "../jobs/report-publish.js";
import { createInProcessLock } from "../lock/keyed-lock.js";
import { createLogger, logLevelFrom } from "../log/index.js";
import { createProbotFromEnv, hasAppCredentials } from "../probot/from-env.js";
import { collectReport } from "../report/collect.js";
import { renderReportJson, renderReportMarkdown } from "../report/render.js";

const USAGE = `Usage: stripe-leak-guard report --installation <id> [options]

Lists the open Stripe leak incidents across an installation's repositories,
most severe first, with their age, verification and rotation status, and a
chart of incidents opened and closed per week (Mermaid, which GitHub renders).

Options:
  --installation <id>  the installation to report on (required)
  --format <format>    markdown (default) or json
  --publish            also create or update the pinned report issue in the
                       owner's .github repository (private or internal only)
  -h, --help           show this help

Environment:
  APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH (the App's credentials),
  GHE_HOST and GHE_PROTOCOL for GitHub Enterprise Server, LOG_LEVEL.

Exit status: 0 when the report was written, 2 on a usage or GitHub error.
`;

const PREFIX = "stripe-leak-guard report:";

export interface ReportRunOptions {
  /** For tests: the report's "now". */
  now?: () => Date;
}

export async function run(argv: string[], io: CliIO = processIO(), options: ReportRunOptions = {}): Promise<number> {
  let values: { installation?: string | undefined; format?: string | undefined; publish?: boolean | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { installation: { type: "string" }, format: { type: "string" }, publish: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr.write(`${PREFIX} ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const installationId = Number(values.installation);
  if (values.installation === undefined || !/^\d+$/.test(values.installation) || !Number.isSafeInteger(installationId) || installationId < 1) {
    io.stderr.write(`${PREFIX} --installation <id> is required and must be a positive number (the installation's id)\n\n${USAGE}`);
    return 2;
  }
  const format = values.format ?? "markdown";
  if (format !== "markdown" && format !== "json") {
    io.stderr.write(`${PREFIX} --format must be markdown or json (got ${JSON.stringify(format)})\n`);
    return 2;
  }
  if (!hasAppCredentials(io.env)) {
    io.stderr.write(`${PREFIX} APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) must be set: the report reads GitHub as the App's installation\n`);
    return 2;
  }

  const stderr = new Writable({
    write(chunk: Buffer, _encoding, done) {
      io.stderr.write(chunk.toString("utf8"));
      done();
    },
  });
  let level;
  try {
    level = logLevelFrom(io.env.LOG_LEVEL ?? "warn");
  } catch (error) {
    io.stderr.write(`${PREFIX} ${(error as Error).message}\n`);
    return 2;
  }
  const log = createLogger({ level, base: { name: "report" }, destination: stderr });
  const probot = createProbotFromEnv(io.env, log);

  let octokit: InstallationOctokit;
  try {
    octokit = await probot.auth(installationId);
  } catch (error) {
    io.stderr.write(`${PREFIX} could not authenticate as installation ${installationId}: ${describe(error)}\n`);
    return 2;
  }

  const now = options.now?.() ?? new Date();
  try {
    const report = await collectReport(octokit, {
      installationId,
      onProgress: (done, total) => {
        if (total >= 20 && (done === total || done % 25 === 0)) io.stderr.write(`${PREFIX} read ${done} of ${total} repositories\n`);
      },
    });
    io.stdout.write(format === "json" ? renderReportJson(report, { now }) : renderReportMarkdown(report, { now }));
    if (report.incomplete.length > 0) io.stderr.write(`${PREFIX} incomplete: ${report.incomplete.length} repositories could not be read (listed in the report)\n`);
    if (values.publish) {
      const outcome = await publishReport(
        { installationId, owner: report.owner, repo: ".github", notBefore: now.getTime() },
        { octokit, log, pepper: "", lock: createInProcessLock() },
        { now: () => now, report },
      );
      io.stderr.write(`${PREFIX} report issue in ${report.owner}/.github: ${PUBLISHED[outcome]}\n`);
    }
    return 0;
  } catch (error) {
    // Only the first request (the token exchange and the repository list) can fail the whole report: a 404 there is an unknown installation.
    const unknown = statusOf(error) === 404;
    io.stderr.write(`${PREFIX} ${unknown ? `installation ${installationId} was not found for this App (APP_ID ${io.env.APP_ID ?? ""})` : describe(error)}\n`);
    return 2;
  }
}

const PUBLISHED = {
  created: "created and pinned (see the log if pinning was refused)",
  updated: "updated",
  covered: "already current",
  "not-published": "not published (the repository is missing, public, or the App is not installed on it; see the log)",
} as const;

function describe(error: unknown): string {
  const status = statusOf(error);
  if (status !== undefined) return `GitHub answered ${status}`;
  return error instanceof Error ? error.message : String(error);
}
