import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";

export type FileContent = { ok: true; buffer: Buffer } | { ok: false; reason: string; bytes: number };

/** Git's test: a NUL byte in the first 8000 bytes makes a file binary. */
export function looksBinary(buffer: Buffer): boolean {
  return buffer.subarray(0, 8000).includes(0);
}

/** Reads one file for scanning, or says why it cannot be scanned; never throws for a file-level problem. */
export async function readScannable(path: string, maxBytes: number): Promise<FileContent> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    return { ok: false, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? "error"})`, bytes: 0 };
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) return { ok: false, reason: `larger than ${formatMiB(maxBytes)} (--max-file-size)`, bytes: size };
    const buffer = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(buffer, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const content = filled === size ? buffer : buffer.subarray(0, filled);
    if (looksBinary(content)) return { ok: false, reason: "binary", bytes: filled };
    return { ok: true, buffer: content };
  } catch (error) {
    return { ok: false, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? "error"})`, bytes: 0 };
  } finally {
    await handle.close();
  }
}

export function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`;
}

/**
 * The same, synchronously. For files already in the page cache (the usual
 * case for a checkout) a direct syscall is much cheaper than four hops
 * through libuv's thread pool, and the hops dominate on a busy machine.
 */
export function readScannableSync(path: string, maxBytes: number): FileContent {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    return { ok: false, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? "error"})`, bytes: 0 };
  }
  try {
    const { size } = fstatSync(fd);
    if (size > maxBytes) return { ok: false, reason: `larger than ${formatMiB(maxBytes)} (--max-file-size)`, bytes: size };
    const buffer = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const bytesRead = readSync(fd, buffer, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const content = filled === size ? buffer : buffer.subarray(0, filled);
    if (looksBinary(content)) return { ok: false, reason: "binary", bytes: filled };
    return { ok: true, buffer: content };
  } catch (error) {
    return { ok: false, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? "error"})`, bytes: 0 };
  } finally {
    closeSync(fd);
  }
}
