import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { scanText } from "../scanner/index.js";
import { CliError } from "./errors.js";
import { readAll } from "./io.js";
import type { Progress } from "./progress.js";
import { looksBinary } from "./read-file.js";
import { scanFilesInPool } from "./scan-pool.js";
import type { ScanTally } from "./report.js";
import { toDisplayPath, walkDirectory, type WalkedFile } from "./walk.js";

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

export async function scanPaths(paths: readonly string[], ctx: PathScanContext): Promise<void> {
  const files: WalkedFile[] = [];
  for (const path of paths) {
    if (path === "-") {
      await scanStdin(ctx);
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
    if (info.isDirectory()) {
      const found = await walkDirectory(abs, {
        displayRoot: ctx.displayRoot,
        skipPath: ctx.skipPath,
        onUnreadable: (dir, reason) => ctx.tally.skip(dir + "/", `directory unreadable (${reason})`),
      });
      files.push(...found);
    } else if (info.isFile()) {
      const display = toDisplayPath(abs, ctx.displayRoot);
      if (!ctx.skipPath(display)) files.push({ abs, display });
    } else {
      throw new CliError(`not a file or directory: ${path}`);
    }
  }
  await scanFiles(files, ctx);
}

async function scanStdin(ctx: PathScanContext): Promise<void> {
  const buffer = await readAll(ctx.stdin);
  ctx.tally.bytes += buffer.length;
  if (looksBinary(buffer)) {
    ctx.tally.skip(STDIN_PATH, "binary");
    return;
  }
  ctx.tally.files++;
  ctx.tally.addFindings(scanText(buffer.toString("utf8"), { path: STDIN_PATH, pepper: ctx.pepper }));
}

export async function scanFiles(files: readonly WalkedFile[], ctx: PathScanContext): Promise<void> {
  const pool = { pepper: ctx.pepper, maxFileSize: ctx.maxFileSize, tally: ctx.tally, progress: ctx.progress };
  await scanFilesInPool(files, ctx.threads === undefined ? pool : { ...pool, threads: ctx.threads });
}
