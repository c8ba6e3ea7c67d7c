import { isAscii } from "node:buffer";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { compressedFormat, compressedReason } from "./compressed.js";

/** Git's test: a NUL byte in the first 8000 bytes makes a file binary. */
export function looksBinary(buffer: Buffer): boolean {
  return buffer.subarray(0, 8000).includes(0);
}

/** What to scan in a file's bytes: its text, or why it cannot be scanned. */
export type Decoded = { ok: true; text: string; binary: boolean } | { ok: false; reason: string };

/**
 * The text to scan. A binary file is scanned as latin1, which maps each byte
 * to one character, so an ASCII key embedded in it (a compiled program, a
 * SQLite file, a .pyc, an image's metadata) is found like one in source; its
 * "lines" are counted on \n bytes. Only compressed containers, where a byte
 * scan sees nothing, are refused.
 */
export function decodeContent(content: Buffer): Decoded {
  const compressed = compressedFormat(content);
  if (compressed !== undefined) return { ok: false, reason: compressedReason(compressed) };
  const utf16 = decodeUtf16(content);
  if (utf16 !== undefined) return { ok: true, text: utf16, binary: false };
  if (looksBinary(content)) return { ok: true, text: content.toString("latin1"), binary: true };
  // Same string as UTF-8 decoding for ASCII, which is nearly all source code, and a plain copy instead of a decode.
  if (isAscii(content)) return { ok: true, text: content.toString("latin1"), binary: false };
  const text = content.toString("utf8");
  // A byte-order mark is not a column: editors and GitHub count from the character after it.
  return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, binary: false };
}

/**
 * UTF-16 text with a byte-order mark (PowerShell and Windows tools write it).
 * It is full of NUL bytes, so without this it would be skipped as binary.
 */
export function decodeUtf16(content: Buffer): string | undefined {
  if (content.length < 2 || content.length % 2 !== 0) return undefined;
  if (content[0] === 0xff && content[1] === 0xfe) return content.toString("utf16le", 2);
  if (content[0] === 0xfe && content[1] === 0xff) return Buffer.from(content.subarray(2)).swap16().toString("utf16le");
  return undefined;
}

export function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`;
}

/** Reused by readTextSync on this thread: one growing buffer instead of one allocation (and its GC) per file. */
let shared = Buffer.allocUnsafe(1 << 20);

export type TextContent = { ok: true; text: string; binary: boolean; bytes: number } | { ok: false; reason: string; bytes: number };

/**
 * Reads and decodes one file for scanning, synchronously, or says why it
 * cannot be scanned. For files in the page cache (a checkout, usually) a
 * direct syscall is much cheaper than hops through libuv's thread pool; the
 * file is read until EOF into a reused buffer, so there is no fstat and no
 * per-file allocation besides the string itself.
 */
export function readTextSync(path: string, maxBytes: number): TextContent {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    return { ok: false, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? "error"})`, bytes: 0 };
  }
  try {
    let filled = 0;
    for (;;) {
      if (filled === shared.length) {
        if (filled > maxBytes) return { ok: false, reason: `larger than ${formatMiB(maxBytes)} (--max-file-size)`, bytes: fstatSync(fd).size };
        const grown = Buffer.allocUnsafe(Math.min(shared.length * 2, maxBytes + 1));
        shared.copy(grown, 0, 0, filled);
        shared = grown;
      }
      const bytesRead = readSync(fd, shared, filled, shared.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > maxBytes) return { ok: false, reason: `larger than ${formatMiB(maxBytes)} (--max-file-size)`, bytes: filled };
    return { ...decodeContent(shared.subarray(0, filled)), bytes: filled };
  } catch (error) {
    return { ok: false, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? "error"})`, bytes: 0 };
  } finally {
    closeSync(fd);
  }
}
