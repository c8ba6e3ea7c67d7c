import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { CliError } from "./errors.js";
import { readAll } from "./io.js";
import type { Progress } from "./progress.js";
import { decodeContent } from "./read-file.js";
import { defaultThreads, ScanPool } from "./scan-pool.js";
import type { ScanTally } from "./report.js";
import { toDisplayPath, walkDirectory } from "./walk.js";

export interface PathScanContext {
  cwd: string;
  /** Findings' paths are relative to this directory. */
  displayRoot: string;
  stdin: NodeJS.ReadableStream;
  pepper: string;
  maxFileSize: number;
  skipPath: (displayPath: string) => boolean;
  tally: ScanTally;
  progress: Progress;
  /** Scan threads; default one per core. */
  threads?: number;
}

export const STDIN_PATH = "<stdin>";

/** Files are handed to the scan pool as the walk finds them, so walking, reading and scanning overlap. */
export async function scanPaths(paths: readonly string[], ctx: PathScanContext): Promise<void> {
  const targets: Array<{ path: string; abs: string; directory: boolean }> = [];
  for (const path of paths) {
    if (path === "-") {
      targets.push({ path, abs: "-", directory: false });
      continue;
    }
    const abs = resolve(ctx.cwd, path);
    let info;
    try {
      info = await stat(abs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(code === "ENOENT" ? `no such file or directory: ${path}` : `cannot read ${path} (${code ?? "error"})`);
    }
    if (!info.isDirectory() && !info.isFile()) throw new CliError(`not a file or directory: ${path}`);
    // A file or directory named on the command line must be readable; inside a walk, an unreadable one is skipped instead.
    try {
      await access(abs, constants.R_OK);
    } catch (error) {
      throw new CliError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
    targets.push({ path, abs, directory: info.isDirectory() });
  }

  const threads = ctx.threads ?? defaultThreads();
  const pool = await ScanPool.create({ pepper: ctx.pepper, maxFileSize: ctx.maxFileSize, tally: ctx.tally, progress: ctx.progress }, threads);
  try {
    for (const target of targets) {
      if (target.abs === "-") {
        await scanStdin(ctx);
      } else if (target.directory) {
        await walkDirectory(target.abs, {
          displayRoot: ctx.displayRoot,
          skipPath: ctx.skipPath,
          onFile: (file) => pool.add(file),
          onUnreadable: (dir, reason) => ctx.tally.skip(dir + "/", `directory unreadable (${reason})`),
        });
      } else {
        const display = toDisplayPath(target.abs, ctx.displayRoot);
        if (!ctx.skipPath(display)) pool.add({ abs: target.abs, display });
      }
    }
  } finally {
    await pool.finish();
  }
}

async function scanStdin(ctx: PathScanContext): Promise<void> {
  const buffer = await readAll(ctx.stdin);
  ctx.tally.bytes += buffer.length;
  const content = decodeContent(buffer);
  if (!content.ok) {
    ctx.tally.skip(STDIN_PATH, content.reason);
    return;
  }
  ctx.tally.files++;
  if (content.binary) ctx.tally.binaryFiles.add(STDIN_PATH);
  const { scanText } = await import("../scanner/index.js");
  ctx.tally.addFindings(scanText(content.text, { path: STDIN_PATH, pepper: ctx.pepper }));
}
