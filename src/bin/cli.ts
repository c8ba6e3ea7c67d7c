import { processIO, type CliIO } from "../cli/io.js";
import { applyDotEnv, DotEnvError } from "../config/dotenv.js";
import { packageVersion } from "../cli/version.js";

/*
 * The `stripe-leak-guard` command: a table of subcommands, each loaded only
 * when it runs (the server and worker pull in Probot and BullMQ, which a
 * pre-commit scan should not pay for). Adding a subcommand is one entry.
 */

/** Server and worker take argv only; scan also takes the IO, so tests can run it in-process. */
type Run = (argv: string[], io: CliIO) => Promise<number>;

interface Subcommand {
  summary: string;
  load: () => Promise<Run>;
  /** Runs as the GitHub App, so it reads the `.env` that Probot's setup flow writes. */
  appEnv?: true;
}

export const SUBCOMMANDS: Record<string, Subcommand> = {
  scan: { summary: "find Stripe keys in files, diffs or git history", load: async () => (await import("../cli/scan-command.js")).run },
  "scan-history": {
    summary: "full-history scan of an installation's repositories, as the GitHub App",
    load: async () => (await import("../history/cli-command.js")).run,
    appEnv: true,
  },
  server: { summary: "receive GitHub webhooks (queues jobs when REDIS_URL is set)", load: async () => (await import("./server.js")).run, appEnv: true },
  worker: { summary: "run queued scan, verification and rotation jobs from Redis", load: async () => (await import("./worker.js")).run, appEnv: true },
  report: { summary: "list an installation's open incidents, with a weekly chart", load: async () => (await import("./report.js")).run, appEnv: true },
};

export function usage(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((name) => name.length));
  const lines = Object.entries(SUBCOMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return [
    "Usage: stripe-leak-guard <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Options:",
    "  -h, --help     show this help (or a command's: stripe-leak-guard <command> --help)",
    "      --version  print the version",
    "",
  ].join("\n");
}

/** Dispatches argv[0]; returns the exit code (0 ok, 1 findings, 2 error). */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    (first === undefined ? io.stderr : io.stdout).write(usage());
    return first === undefined ? 2 : 0;
  }
  if (first === "--version" || first === "-v") {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const command = Object.hasOwn(SUBCOMMANDS, first) ? SUBCOMMANDS[first] : undefined;
  if (command === undefined) {
    const what = first.startsWith("-") ? `unknown option ${first}` : `unknown command "${first}"`;
    io.stderr.write(`stripe-leak-guard: ${what}\n\n${usage()}`);
    return 2;
  }
  if (command.appEnv) {
    try {
      applyDotEnv(io.env, io.cwd);
    } catch (error) {
      if (!(error instanceof DotEnvError)) throw error;
      io.stderr.write(`stripe-leak-guard: ${error.message}\n`);
      return 2;
    }
  }
  const run = await command.load();
  return run(rest, io);
}

export function main(argv: string[]): Promise<number> {
  return runCli(argv, processIO());
}
