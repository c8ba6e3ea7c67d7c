import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { scanText } from "../scanner/index.js";
import { CliError } from "./errors.js";
import { readAll } from "./io.js";
import type { Progress } from "./progress.js";
import { readScannable, looksBinary } from "./read-file.js";
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
}

export const STDIN_PATH = "<stdin>";

/** Reads in flight at once: enough to keep the disk and libuv's threads busy while this thread scans. */
const READ_CONCURRENCY = 32;

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

/** Reads files concurrently and scans each as soon as it arrives, in the order reads finish. */
export async function scanFiles(files: readonly WalkedFile[], ctx: PathScanContext): Promise<void> {
  const { tally, progress } = ctx;
  let next = 0;
  let finished = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++] as WalkedFile;
      const content = await readScannable(file.abs, ctx.maxFileSize);
      if (content.ok) {
        tally.files++;
        tally.bytes += content.buffer.length;
        tally.addFindings(scanText(content.buffer.toString("utf8"), { path: file.display, pepper: ctx.pepper }));
      } else {
        tally.skip(file.display, content.reason);
      }
      finished++;
      progress.update(finished, files.length, "files", file.display);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));
}
