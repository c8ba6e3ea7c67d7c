import { availableParallelism } from "node:os";
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { close, createCounters, filesDone, firstUntaken, publish, takeChunk, type Counters } from "./chunk-queue.js";
import { CliError } from "./errors.js";
import type { Progress } from "./progress.js";
import type { ScanTally } from "./report.js";
import type { ChunkMessage, ScanResult, ScanSettings, StartMessage } from "./scan-worker.js";
import type { WalkedFile } from "./walk.js";

/*
 * Files are scanned in chunks taken from a queue shared with the scan
 * threads (chunk-queue.ts). The main thread walks and publishes chunks while
 * the threads scan them; once the walk is over the main thread scans too, so
 * `threads` counts it: on two cores, one scan thread and the main thread
 * keep both busy without a third thread competing for them.
 */

export interface PoolContext {
  pepper: string;
  maxFileSize: number;
  tally: ScanTally;
  progress: Progress;
  /** Files found before scan threads start; tests set 0 to exercise the threads on a few files. */
  filesBeforeThreads?: number;
}

const CHUNK_FILES = 32;
/**
 * Scan threads start once this many files are found. Below it a thread's
 * start-up (tens of milliseconds) costs more than it saves: with the
 * prefilter, most files take a few microseconds each.
 */
const FILES_BEFORE_THREADS = 2500;
/** While the walk runs with threads helping, the main thread scans only when this many chunks are waiting, so the walk keeps ahead. */
const BACKLOG_CHUNKS = 8;
const PROGRESS_MS = 100;

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

interface Helper {
  worker: Worker;
  chunks: MessagePort;
  result: Promise<ScanResult>;
}

type ScanHere = (files: readonly WalkedFile[], settings: ScanSettings, result: ScanResult) => void;

export class ScanPool {
  private readonly counters: Counters = createCounters();
  /** Published chunks not yet known to be taken, by index. */
  private readonly chunks = new Map<number, WalkedFile[]>();
  private published = 0;
  private chunk: WalkedFile[] = [];
  private added = 0;
  /** Set when the walk is over: from then on the progress line knows the total. */
  private walked = false;
  /** Files scanned on this thread. */
  private scannedHere = 0;
  private helpers: Helper[] = [];

  private constructor(
    private readonly ctx: PoolContext,
    private readonly threads: number,
    private readonly scanHere: ScanHere,
    private readonly emptyResult: () => ScanResult,
  ) {}

  /** `threads` counts this thread: 1 scans everything here, as files are added. */
  static async create(ctx: PoolContext, threads: number): Promise<ScanPool> {
    const { scanFiles, emptyResult } = await import("./scan-worker.js");
    return new ScanPool(ctx, Math.max(1, threads), scanFiles, emptyResult);
  }

  private get settings(): ScanSettings {
    return { maxFileSize: this.ctx.maxFileSize, pepper: this.ctx.pepper };
  }

  add(file: WalkedFile): void {
    this.added++;
    this.chunk.push(file);
    if (this.chunk.length >= CHUNK_FILES) this.publishChunk();
    if (this.helpers.length === 0 && this.threads > 1 && this.added >= (this.ctx.filesBeforeThreads ?? FILES_BEFORE_THREADS)) this.startHelpers();
    // Alone, or when the threads fall behind the walk, this thread scans as it goes.
    const backlog = this.published - firstUntaken(this.counters);
    if (this.helpers.length === 0 ? this.threads === 1 && backlog > 0 : backlog > BACKLOG_CHUNKS) this.scanOneChunk();
  }

  /** Files the scan threads have scanned so far. */
  scannedByThreads(): number {
    return filesDone(this.counters);
  }

  /** Scans what is left here and on the threads, waits for them, and stops them. */
  async finish(): Promise<void> {
    this.publishChunk();
    close(this.counters);
    this.walked = true;
    try {
      while (this.scanOneChunk());
      // A small scan can be over before a thread took anything: then there is nothing to wait for.
      const results = this.scannedHere === this.added ? [] : await this.waitForHelpers();
      for (const result of results) {
        if (result.error !== undefined) throw new CliError(`scan failed: ${result.error}`);
        this.merge(result);
      }
    } finally {
      await Promise.all(this.helpers.map((helper) => helper.worker.terminate()));
    }
    this.ctx.progress.update(this.added, this.added, "files");
  }

  private publishChunk(): void {
    if (this.chunk.length === 0) return;
    const message: ChunkMessage = { index: this.published, files: this.chunk };
    this.chunks.set(message.index, message.files);
    for (const helper of this.helpers) helper.chunks.postMessage(message);
    this.chunk = [];
    publish(this.counters, ++this.published);
    this.dropTaken();
    // While threads scan and this one walks, the line still moves (the Progress redraws at most every 100 ms).
    this.showProgress();
  }

  private startHelpers(): void {
    for (let i = 1; i < this.threads; i++) {
      const worker = startWorker();
      const { port1, port2 } = new MessageChannel();
      // Chunks published before the thread started, so that it can take any of them.
      for (const [index, files] of this.chunks) port1.postMessage({ index, files } satisfies ChunkMessage);
      const start: StartMessage = { ...this.settings, counters: this.counters, chunks: port2 };
      worker.postMessage(start, [port2]);
      const result = new Promise<ScanResult>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
        worker.once("exit", (code) => reject(new Error(`scan thread exited with code ${code} before it finished`)));
      });
      // Awaited in finish(); until then a failure must not count as unhandled.
      result.catch(() => undefined);
      this.helpers.push({ worker, chunks: port1, result });
    }
  }

  /** Takes and scans one chunk on this thread; false when none was left to take. */
  private scanOneChunk(): boolean {
    const index = takeChunk(this.counters);
    if (index === -1) return false;
    const files = this.chunks.get(index) ?? [];
    this.dropTaken();
    const result = this.emptyResult();
    this.scanHere(files, this.settings, result);
    this.merge(result);
    this.scannedHere += files.length;
    this.showProgress();
    return true;
  }

  /** Forgets chunks that some thread has taken; the Map holds them in index order. */
  private dropTaken(): void {
    const taken = firstUntaken(this.counters);
    for (const index of this.chunks.keys()) {
      if (index >= taken) return;
      this.chunks.delete(index);
    }
  }

  private async waitForHelpers(): Promise<ScanResult[]> {
    if (this.helpers.length === 0) return [];
    const timer = setInterval(() => this.showProgress(), PROGRESS_MS);
    try {
      return await Promise.all(this.helpers.map((helper) => helper.result));
    } finally {
      clearInterval(timer);
    }
  }

  private showProgress(): void {
    this.ctx.progress.update(this.scannedHere + filesDone(this.counters), this.walked ? this.added : undefined, "files");
  }

  private merge(result: ScanResult): void {
    const { tally } = this.ctx;
    tally.files += result.files;
    tally.bytes += result.bytes;
    tally.addFindings(result.findings);
    for (const item of result.skipped) tally.skip(item.path, item.reason);
    for (const path of result.binaryFiles) tally.binaryFiles.add(path);
  }
}
