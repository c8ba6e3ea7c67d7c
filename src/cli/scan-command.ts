import { readFile, stat, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { EnvError, readPepper } from "../config/pepper.js";
import { applyPolicy, compilePolicy } from "../policy/index.js";
import { CliError, describeError, UsageError } from "./errors.js";
import { gitToplevel } from "./git.js";
import { processIO, readAll, type CliIO } from "./io.js";
import { resolveConfig } from "./load-config.js";
import { createProgress } from "./progress.js";
import { failsScan, ScanTally, type ScanReport } from "./report.js";
import { parseScanArgs, type ScanInput, type ScanOptions } from "./scan-args.js";
import { SCAN_USAGE } from "./scan-usage.js";
import { packageVersion } from "./version.js";

const PREFIX = "stripe-leak-guard:";

/** `stripe-leak-guard scan`, as the dispatch table calls it. */
export function run(argv: string[], io: CliIO = processIO()): Promise<number> {
  return runScan(argv, io);
}

export async function runScan(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    const options = parseScanArgs(argv);
    if (options.help) {
      io.stdout.write(SCAN_USAGE);
      return 0;
    }
    const report = await scan(options, io);
    const output = await render(report, options, io);
    if (options.output !== undefined) {
      try {
        await writeFile(resolve(io.cwd, options.output), output);
      } catch (error) {
        throw new CliError(`cannot write ${options.output} (${(error as NodeJS.ErrnoException).code ?? describeError(error)})`);
      }
    } else {
      io.stdout.write(output);
    }
    return report.findings.some((entry) => failsScan(entry, options.failOn)) ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${PREFIX} ${error.message}\nRun "stripe-leak-guard scan --help" for usage.\n`);
    } else if (error instanceof CliError || error instanceof EnvError) {
      io.stderr.write(`${PREFIX} ${error.message}\n`);
    } else {
      io.stderr.write(`${PREFIX} unexpected error: ${describeError(error)}\n`);
    }
    return 2;
  }
}

/* Formats and input modes are imported when used: a scan loads only the code it runs, and starts sooner. */

async function render(report: ScanReport, options: ScanOptions, io: CliIO): Promise<string> {
  switch (options.format) {
    case "json":
      return (await import("./format-json.js")).formatJson(report);
    case "sarif":
      return (await import("./format-sarif.js")).formatSarif(report, packageVersion());
    case "text": {
      const color = options.output === undefined && io.stdout.isTTY === true && !io.env["NO_COLOR"];
      return (await import("./format-text.js")).formatText(report, { color, failOn: options.failOn });
    }
  }
}

/** The directory whose config applies and against which findings' paths are shown. */
async function scanRoot(input: ScanInput, io: CliIO): Promise<{ root: string; shownAs: string }> {
  switch (input.mode) {
    case "git":
    case "history":
    case "staged": {
      const top = await gitToplevel(resolve(io.cwd, input.repo), input.repo);
      return { root: top, shownAs: input.repo };
    }
    case "paths": {
      const only = input.paths.length === 1 ? input.paths[0] : undefined;
      if (only !== undefined && only !== "-") {
        const abs = resolve(io.cwd, only);
        const info = await stat(abs).catch(() => undefined);
        if (info?.isDirectory()) return { root: abs, shownAs: only };
      }
      return { root: io.cwd, shownAs: "." };
    }
    case "diff":
      return { root: io.cwd, shownAs: "." };
  }
}

async function scan(options: ScanOptions, io: CliIO): Promise<ScanReport> {
  const started = performance.now();
  const pepper = readPepper(io.env);
  const { input } = options;
  const { root, shownAs } = await scanRoot(input, io);
  const explicit = options.config === undefined ? undefined : { abs: resolve(io.cwd, options.config), shownAs: options.config };
  const loaded = await resolveConfig(explicit, root, shownAs);
  for (const note of loaded.notes) io.stderr.write(`${PREFIX} note: ${note}\n`);
  const policy = compilePolicy(loaded.config);
  const skipPath = (path: string): boolean => policy.isPathIgnored(path);
  const tally = new ScanTally();
  const progress = createProgress(io.stderr, options.progress);

  try {
    switch (input.mode) {
      case "paths": {
        const { scanPaths } = await import("./scan-paths.js");
        await scanPaths(input.paths, {
          cwd: io.cwd,
          displayRoot: root,
          stdin: io.stdin,
          pepper,
          maxFileSize: options.maxFileSize,
          skipPath,
          tally,
          progress,
          ...(options.threads === undefined ? {} : { threads: options.threads }),
        });
        break;
      }
      case "diff": {
        const { scanDiffText } = await import("./scan-diff.js");
        const text = await readDiff(input.source, io);
        tally.bytes += Buffer.byteLength(text);
        scanDiffText(text, { pepper, skipPath, tally });
        break;
      }
      case "git":
      case "history": {
        const { revisionArgs, scanGitLog } = await import("./scan-git.js");
        await scanGitLog(revisionArgs(input), { repo: root, pepper, skipPath, tally, progress }, options.progress && io.stderr.isTTY === true);
        break;
      }
      case "staged": {
        const { scanStaged } = await import("./scan-git.js");
        await scanStaged({ repo: root, pepper, skipPath, tally, progress });
        break;
      }
    }
  } finally {
    progress.done();
  }

  const outcome = applyPolicy(tally.findings, policy);
  outcome.reported.sort((a, b) => compareFindings(a.finding, b.finding));
  const report: ScanReport = {
    findings: outcome.reported,
    stats: {
      files: tally.files,
      bytes: tally.bytes,
      commits: tally.commits,
      skipped: tally.skipped.length,
      durationMs: Math.round(performance.now() - started),
    },
    skipped: tally.skipped.sort((a, b) => a.path.localeCompare(b.path)),
    suppressed: outcome.suppressed.length,
    ignored: outcome.ignored.length,
  };
  if (loaded.path !== undefined) report.configPath = loaded.path;
  if (tally.binaryFiles.size > 0) report.binaryFiles = tally.binaryFiles;
  return report;
}

async function readDiff(source: string, io: CliIO): Promise<string> {
  if (source === "-") return (await readAll(io.stdin)).toString("utf8");
  try {
    return await readFile(resolve(io.cwd, source), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === "ENOENT" ? `no such diff file: ${source}` : `cannot read diff ${source} (${code ?? describeError(error)})`);
  }
}

/** Stable output: history findings keep git's order (newest commit first); others go by path and position. */
function compareFindings(a: { path: string; line: number; column: number; commit?: unknown }, b: { path: string; line: number; column: number; commit?: unknown }): number {
  if (a.commit !== undefined || b.commit !== undefined) return 0;
  return a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column;
}
