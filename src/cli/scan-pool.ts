import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { CliError } from "./errors.js";
import type { Progress } from "./progress.js";
import type { ScanTally } from "./report.js";
import type { BatchRequest, BatchResult } from "./scan-worker.js";
import type { WalkedFile } from "./walk.js";

/*
 * Files are scanned in batches, on worker threads when there are enough of
 * them to pay for starting threads. Files can be added while a directory is
 * still being walked, so walking, reading and scanning overlap.
 */

export interface PoolContext {
  pepper: string;
  maxFileSize: number;
  tally: ScanTally;
  progress: Progress;
}

const BATCH_FILES = 32;
/** Threads start once this many files are waiting: below it (a pre-commit run, a small tree) they cost more than they save. */
const FILES_BEFORE_THREADS = 96;
/** Batches in flight per thread: one to scan, one crossing back or waiting, so a thread never idles. */
const IN_FLIGHT = 2;

export function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
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

interface Slot {
  worker: Worker;
  inFlight: number;
}

export class ScanPool {
  private slots: Slot[] = [];
  private readonly queue: WalkedFile[][] = [];
  private batch: WalkedFile[] = [];
  private nextId = 0;
  private added = 0;
  private done = 0;
  private total: number | undefined;
  private failure: unknown;
  private settle: (() => void) | undefined;

  private constructor(
    private readonly ctx: PoolContext,
    private readonly threads: number,
    private scanHere: ((request: BatchRequest) => BatchResult) | undefined,
  ) {}

  /**
   * `threads` of 1 scans on this thread, as files are added. Otherwise files
   * queue until there are enough to start the threads; a scan that never
   * gets there is done on this thread at the end.
   */
  static async create(ctx: PoolContext, threads: number): Promise<ScanPool> {
    if (threads > 1) return new ScanPool(ctx, threads, undefined);
    const { scanBatch } = await import("./scan-worker.js");
    return new ScanPool(ctx, 1, scanBatch);
  }

  add(file: WalkedFile): void {
    this.added++;
    this.batch.push(file);
    if (this.batch.length >= BATCH_FILES) this.flushBatch();
  }

  /** Scans what is left, waits for every thread, and stops them. */
  async finish(): Promise<void> {
    this.total = this.added;
    this.flushBatch();
    if (this.slots.length === 0 && this.queue.length > 0) {
      this.scanHere = (await import("./scan-worker.js")).scanBatch;
      for (const batch of this.queue.splice(0)) this.merge(this.scanHere(this.request(batch)));
    }
    try {
      if (this.slots.length > 0) {
        await new Promise<void>((resolve) => {
          this.settle = resolve;
          this.checkDone();
        });
      }
    } finally {
      await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private startSlot(): Slot {
    const slot: Slot = { worker: startWorker(), inFlight: 0 };
    slot.worker.on("message", (result: BatchResult) => {
      slot.inFlight--;
      if (result.error !== undefined) this.fail(new CliError(`scan failed: ${result.error}`));
      else this.merge(result);
      this.dispatch();
      this.checkDone();
    });
    slot.worker.on("error", (error) => this.fail(error));
    slot.worker.on("exit", (code) => {
      if (code !== 0 && this.settle === undefined) this.fail(new Error(`scan thread exited with code ${code}`));
    });
    return slot;
  }

  private flushBatch(): void {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    if (this.scanHere !== undefined) {
      this.merge(this.scanHere(this.request(batch)));
      return;
    }
    this.queue.push(batch);
    if (this.slots.length === 0 && this.added >= FILES_BEFORE_THREADS) {
      this.slots = Array.from({ length: this.threads }, () => this.startSlot());
    }
    this.dispatch();
  }

  private request(files: WalkedFile[]): BatchRequest {
    return { id: this.nextId++, files, maxFileSize: this.ctx.maxFileSize, pepper: this.ctx.pepper };
  }

  private dispatch(): void {
    if (this.failure !== undefined) return;
    for (;;) {
      const slot = this.slots.reduce<Slot | undefined>((best, s) => (s.inFlight < IN_FLIGHT && (!best || s.inFlight < best.inFlight) ? s : best), undefined);
      const batch = slot && this.queue.shift();
      if (!slot || !batch) return;
      slot.inFlight++;
      slot.worker.postMessage(this.request(batch));
    }
  }

  private merge(result: BatchResult): void {
    const { tally, progress } = this.ctx;
    tally.files += result.files;
    tally.bytes += result.bytes;
    tally.addFindings(result.findings);
    for (const item of result.skipped) tally.skip(item.path, item.reason);
    for (const path of result.binaryFiles) tally.binaryFiles.add(path);
    this.done += result.files + result.skipped.length;
    progress.update(this.done, this.total, "files");
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    this.checkDone();
  }

  private checkDone(): void {
    if (this.settle === undefined) return;
    const idle = this.queue.length === 0 && this.slots.every((slot) => slot.inFlight === 0);
    if (idle || this.failure !== undefined) this.settle();
  }
}
