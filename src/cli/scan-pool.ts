import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { CliError } from "./errors.js";
import type { Progress } from "./progress.js";
import type { ScanTally } from "./report.js";
import { scanBatch, type BatchRequest, type BatchResult } from "./scan-worker.js";
import type { WalkedFile } from "./walk.js";

export interface PoolContext {
  pepper: string;
  maxFileSize: number;
  tally: ScanTally;
  progress: Progress;
  /** Threads to use; default: one per core, at most 8. 1 scans on this thread. */
  threads?: number;
}

/** Below this, starting threads costs more than it saves (a pre-commit run, a handful of files). */
const MIN_FILES_FOR_THREADS = 64;
const BATCH_FILES = 32;

function merge(tally: ScanTally, result: BatchResult): void {
  tally.files += result.files;
  tally.bytes += result.bytes;
  tally.addFindings(result.findings);
  for (const item of result.skipped) tally.skip(item.path, item.reason);
}

/** The worker script next to this module: compiled .js in lib/, or .ts when run from source (tsx, vitest). */
function startWorker(): Worker {
  const self = import.meta.url;
  if (!self.endsWith(".ts")) return new Worker(new URL("./scan-worker.js", self));
  // From source, the thread registers tsx's loader itself before importing the TypeScript worker.
  const api = JSON.stringify(import.meta.resolve("tsx/esm/api"));
  const script = JSON.stringify(new URL("./scan-worker.ts", self).href);
  return new Worker(`import(${api}).then((tsx) => { tsx.register(); return import(${script}); });`, { eval: true });
}

export function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** Scans files on all cores; results are merged into the tally as batches finish. */
export async function scanFilesInPool(files: readonly WalkedFile[], ctx: PoolContext): Promise<void> {
  const threads = Math.min(ctx.threads ?? defaultThreads(), Math.ceil(files.length / BATCH_FILES));
  const { tally, progress } = ctx;
  let done = 0;
  if (threads <= 1 || files.length < MIN_FILES_FOR_THREADS) {
    for (let i = 0; i < files.length; i += BATCH_FILES) {
      const batch = files.slice(i, i + BATCH_FILES);
      merge(tally, scanBatch({ id: i, files: batch, maxFileSize: ctx.maxFileSize, pepper: ctx.pepper }));
      done += batch.length;
      progress.update(done, files.length, "files", batch.at(-1)?.display);
    }
    return;
  }

  const batches = makeBatches(files);
  const workers = Array.from({ length: threads }, startWorker);
  let next = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let pending = 0;
      const send = (worker: Worker): void => {
        const batch = batches[next];
        if (batch === undefined) return;
        const request: BatchRequest = { id: next++, files: batch, maxFileSize: ctx.maxFileSize, pepper: ctx.pepper };
        pending++;
        worker.postMessage(request);
      };
      for (const worker of workers) {
        worker.on("message", (result: BatchResult) => {
          pending--;
          if (result.error !== undefined) {
            reject(new CliError(`scan failed: ${result.error}`));
            return;
          }
          merge(tally, result);
          done += result.files + result.skipped.length;
          progress.update(done, files.length, "files");
          send(worker);
          if (pending === 0 && next >= batches.length) resolve();
        });
        worker.on("error", reject);
        worker.on("exit", (code) => {
          if (code !== 0) reject(new Error(`scan thread exited with code ${code}`));
        });
        // Two batches in flight keep a thread busy while its last result crosses back.
        send(worker);
        send(worker);
      }
      if (pending === 0) resolve();
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

function makeBatches(files: readonly WalkedFile[]): WalkedFile[][] {
  const batches: WalkedFile[][] = [];
  for (let i = 0; i < files.length; i += BATCH_FILES) batches.push(files.slice(i, i + BATCH_FILES));
  return batches;
}
