import { parentPort, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { scanText, type Finding } from "../scanner/index.js";
import { addFilesDone, drained, firstUntaken, takeChunk, waitForWork, type Counters } from "./chunk-queue.js";
import { Prefilter } from "../scanner/prefilter.js";
import { decodeContent, heapSpace, looksBinary, readBytesSync, textIsLikeBytes, type ReadSpace } from "./read-file.js";
import type { SkippedItem } from "./report.js";
import type { WalkedFile } from "./walk.js";

/*
 * A scan thread: takes chunks of files from the shared queue, reads them with
 * direct syscalls and scans them, until the walk is over and the queue is
 * empty; then it sends everything it found in one message. Findings cross
 * back as plain data (structured clone); the raw key stays behind in this
 * thread's memory.
 */

export interface ScanSettings {
  maxFileSize: number;
  pepper: string;
}

/** What the main thread sends once: the queue's counters and the port the chunks arrive on. */
export interface StartMessage extends ScanSettings {
  counters: Counters;
  chunks: MessagePort;
}

export interface ChunkMessage {
  index: number;
  files: WalkedFile[];
}

export interface ScanResult {
  findings: Finding[];
  skipped: SkippedItem[];
  /** Display paths of the files that were scanned as bytes (binary files). */
  binaryFiles: string[];
  files: number;
  bytes: number;
  /** Set when scanning threw; the main thread turns it into an error. */
  error?: string;
}

export function emptyResult(): ScanResult {
  return { findings: [], skipped: [], binaryFiles: [], files: 0, bytes: 0 };
}

/** This thread's prefilter; null where WebAssembly cannot run it, and every file goes to the engine. */
let prefilter: Prefilter | null | undefined;

function threadPrefilter(): Prefilter | null {
  if (prefilter === undefined) {
    try {
      prefilter = new Prefilter();
    } catch {
      prefilter = null;
    }
  }
  return prefilter;
}

/**
 * Reads and scans `files`, adding to `result`. Files are read straight into
 * the prefilter's memory; those it clears are counted as scanned without a
 * string ever being made of them, and the rest are decoded and scanned.
 */
export function scanFiles(files: readonly WalkedFile[], settings: ScanSettings, result: ScanResult): void {
  const pre = threadPrefilter();
  const space: ReadSpace = pre === null ? heapSpace : (size) => pre.input(size);
  for (const file of files) {
    const read = readBytesSync(file.abs, settings.maxFileSize, space);
    if (!read.ok) {
      result.skipped.push({ path: file.display, reason: read.reason });
      continue;
    }
    const { bytes } = read;
    if (pre !== null && textIsLikeBytes(bytes) && !pre.mayHoldKey(bytes.length)) {
      result.files++;
      result.bytes += bytes.length;
      if (looksBinary(bytes)) result.binaryFiles.push(file.display);
      continue;
    }
    const content = decodeContent(bytes);
    if (!content.ok) {
      result.skipped.push({ path: file.display, reason: content.reason });
      continue;
    }
    result.files++;
    result.bytes += bytes.length;
    if (content.binary) result.binaryFiles.push(file.display);
    for (const finding of scanText(content.text, { path: file.display, pepper: settings.pepper })) {
      // A plain copy: exactly the Finding's own fields, nothing attached.
      result.findings.push({ ...finding });
    }
  }
}

/** How long a waiting thread sleeps before it looks at the queue again, in case a wake-up was missed. */
const WAIT_MS = 20;
const pause = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));

/** Chunks arrive on the port in order, but may be taken by any thread: keep those not yet known to be taken. */
function chunkFrom(port: MessagePort, index: number, counters: Counters, received: Map<number, WalkedFile[]>): WalkedFile[] {
  for (;;) {
    const files = received.get(index);
    if (files !== undefined) {
      received.delete(index);
      const taken = firstUntaken(counters);
      for (const other of received.keys()) if (other < taken) received.delete(other);
      return files;
    }
    const message = receiveMessageOnPort(port)?.message as ChunkMessage | undefined;
    if (message === undefined) {
      // Published, but its message has not reached this thread's port yet: a moment's wait.
      Atomics.wait(pause, 0, 0, 1);
      continue;
    }
    if (message.index >= firstUntaken(counters) || message.index === index) received.set(message.index, message.files);
  }
}

export function runScanThread(start: StartMessage): ScanResult {
  const { counters, chunks } = start;
  const received = new Map<number, WalkedFile[]>();
  const result = emptyResult();
  for (;;) {
    const index = takeChunk(counters);
    if (index === -1) {
      if (drained(counters)) return result;
      waitForWork(counters, WAIT_MS);
      continue;
    }
    const files = chunkFrom(chunks, index, counters, received);
    scanFiles(files, start, result);
    addFilesDone(counters, files.length);
  }
}

if (parentPort) {
  const port = parentPort;
  port.once("message", (start: StartMessage) => {
    let result: ScanResult;
    try {
      result = runScanThread(start);
    } catch (error) {
      result = { ...emptyResult(), error: error instanceof Error ? error.message : String(error) };
    }
    start.chunks.close();
    port.postMessage(result);
  });
}
