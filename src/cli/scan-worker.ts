import { parentPort } from "node:worker_threads";
import { scanText, type Finding } from "../scanner/index.js";
import { readTextSync } from "./read-file.js";
import type { SkippedItem } from "./report.js";
import type { WalkedFile } from "./walk.js";

/*
 * A scan thread: reads a batch of files with direct syscalls and scans them,
 * so reading and scanning use every core. Findings cross back as plain data
 * (structured clone); the raw key stays behind in this thread's memory.
 */

export interface BatchRequest {
  id: number;
  files: WalkedFile[];
  maxFileSize: number;
  pepper: string;
}

export interface BatchResult {
  id: number;
  findings: Finding[];
  skipped: SkippedItem[];
  /** Display paths of the files among `files` that were scanned as bytes (binary files). */
  binaryFiles: string[];
  files: number;
  bytes: number;
  /** Set when scanning threw; the main thread turns it into an error. */
  error?: string;
}

export function scanBatch(request: BatchRequest): BatchResult {
  const result: BatchResult = { id: request.id, findings: [], skipped: [], binaryFiles: [], files: 0, bytes: 0 };
  for (const file of request.files) {
    const content = readTextSync(file.abs, request.maxFileSize);
    if (!content.ok) {
      result.skipped.push({ path: file.display, reason: content.reason });
      continue;
    }
    result.files++;
    result.bytes += content.bytes;
    if (content.binary) result.binaryFiles.push(file.display);
    for (const finding of scanText(content.text, { path: file.display, pepper: request.pepper })) {
      // A plain copy: exactly the Finding's own fields, nothing attached.
      result.findings.push({ ...finding });
    }
  }
  return result;
}

if (parentPort) {
  const port = parentPort;
  port.on("message", (request: BatchRequest) => {
    try {
      port.postMessage(scanBatch(request));
    } catch (error) {
      port.postMessage({ id: request.id, findings: [], skipped: [], binaryFiles: [], files: 0, bytes: 0, error: error instanceof Error ? error.message : String(error) });
    }
  });
}
