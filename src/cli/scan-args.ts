import { parseArgs } from "node:util";
import { SEVERITIES, type Severity } from "../scanner/types.js";
import { UsageError } from "./errors.js";

export const FORMATS = ["text", "json", "sarif"] as const;
export type Format = (typeof FORMATS)[number];

/** Where the text to scan comes from. */
export type ScanInput =
  | { mode: "paths"; paths: string[] }
  | { mode: "diff"; source: string }
  | { mode: "git"; range: string; repo: string }
  | { mode: "history"; repo: string }
  | { mode: "staged"; repo: string };

export interface ScanOptions {
  input: ScanInput;
  format: Format;
  /** "none" never fails on findings (errors still exit 2). */
  failOn: Severity | "none";
  config?: string;
  output?: string;
  maxFileSize: number;
  progress: boolean;
  /** Scan threads for directory scans; undefined: one per core. */
  threads?: number;
  help: boolean;
}

export const DEFAULT_MAX_FILE_MIB = 100;

const OPTIONS = {
  format: { type: "string", short: "f" },
  "fail-on": { type: "string" },
  config: { type: "string", short: "c" },
  output: { type: "string", short: "o" },
  diff: { type: "string" },
  git: { type: "string" },
  history: { type: "boolean" },
  staged: { type: "boolean" },
  "max-file-size": { type: "string" },
  "no-progress": { type: "boolean" },
  threads: { type: "string", short: "j" },
  help: { type: "boolean", short: "h" },
} as const;

/** `--diff` takes an optional value; parseArgs does not, so a bare `--diff` becomes `--diff -` (stdin). */
function withDiffDefault(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    out.push(arg);
    if (arg === "--") {
      out.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "--diff") {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith("-") && next !== "-")) out.push("-");
    }
  }
  return out;
}

function parseFailureMessage(error: unknown): string {
  const err = error as { code?: string; message?: string };
  const unknown = /Unknown option '([^']+)'/.exec(err.message ?? "");
  if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && unknown) return `unknown option ${unknown[1]}`;
  const missing = /Option '([^']+)' argument missing/.exec(err.message ?? "");
  if (missing) return `option ${missing[1]?.replace(/^-\w, /, "")} needs a value`;
  return err.message ?? String(error);
}

export function parseScanArgs(argv: readonly string[]): ScanOptions {
  let parsed;
  try {
    parsed = parseArgs({ args: withDiffDefault(argv), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parseFailureMessage(error));
  }
  const { values, positionals } = parsed;

  const format = values.format ?? "text";
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got "${format}")`);
  }
  const failOn = values["fail-on"] ?? "high";
  if (failOn !== "none" && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${[...SEVERITIES, "none"].join(", ")} (got "${failOn}")`);
  }
  let maxFileSize = DEFAULT_MAX_FILE_MIB * 1024 * 1024;
  if (values["max-file-size"] !== undefined) {
    const mib = Number(values["max-file-size"]);
    if (!Number.isFinite(mib) || mib <= 0) {
      throw new UsageError(`--max-file-size is a size in MiB greater than 0 (got "${values["max-file-size"]}")`);
    }
    maxFileSize = Math.floor(mib * 1024 * 1024);
  }

  let threads: number | undefined;
  if (values.threads !== undefined) {
    threads = Number(values.threads);
    if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
      throw new UsageError(`--threads is a whole number from 1 to 64 (got "${values.threads}")`);
    }
  }

  const modes = [
    values.diff !== undefined && "--diff",
    values.git !== undefined && "--git",
    values.history === true && "--history",
    values.staged === true && "--staged",
  ].filter((mode): mode is string => typeof mode === "string");
  if (modes.length > 1) throw new UsageError(`${modes.join(" and ")} cannot be combined; choose one input`);

  let input: ScanInput;
  const repoArg = (): string => {
    if (positionals.length > 1) throw new UsageError(`${modes[0]} takes at most one path: the repository (got ${positionals.length})`);
    return positionals[0] ?? ".";
  };
  if (values.diff !== undefined) {
    if (positionals.length > 0) throw new UsageError("--diff reads one diff; give it as --diff <file> (or - for stdin), without other paths");
    input = { mode: "diff", source: values.diff };
  } else if (values.git !== undefined) {
    if (values.git.trim() === "") throw new UsageError("--git needs a revision range, e.g. --git main..HEAD");
    // git would take it as an option (--output=… writes files), not a revision.
    if (values.git.startsWith("-")) throw new UsageError(`--git takes a revision range, not an option (got "${values.git}")`);
    input = { mode: "git", range: values.git, repo: repoArg() };
  } else if (values.history === true) {
    input = { mode: "history", repo: repoArg() };
  } else if (values.staged === true) {
    input = { mode: "staged", repo: repoArg() };
  } else {
    input = { mode: "paths", paths: positionals.length > 0 ? positionals : ["."] };
  }

  const options: ScanOptions = {
    input,
    format: format as Format,
    failOn: failOn as Severity | "none",
    maxFileSize,
    progress: values["no-progress"] !== true,
    help: values.help === true,
  };
  if (values.config !== undefined) options.config = values.config;
  if (threads !== undefined) options.threads = threads;
  if (values.output !== undefined) options.output = values.output;
  return options;
}
