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
 * Whether the engine's text keeps these bytes' ASCII where the bytes have it
 * (ASCII, UTF-8, Latin-1 for binary files), so that a byte-level look is a
 * look at the text: not UTF-16, and not a compressed archive, which is
 * skipped with its reason.
 */
export function textIsLikeBytes(content: Buffer): boolean {
  return compressedFormat(content) === undefined && utf16ByteOrder(content) === undefined;
}

function utf16ByteOrder(content: Buffer): "le" | "be" | undefined {
  if (content.length < 2 || content.length % 2 !== 0) return undefined;
  if (content[0] === 0xff && content[1] === 0xfe) return "le";
  if (content[0] === 0xfe && content[1] === 0xff) return "be";
  return undefined;
}

/**
 * UTF-16 text with a byte-order mark (PowerShell and Windows tools write it).
 * It is full of NUL bytes, so without this it would be skipped as binary.
 */
export function decodeUtf16(content: Buffer): string | undefined {
  switch (utf16ByteOrder(content)) {
    case "le":
      return content.toString("utf16le", 2);
    case "be":
      return Buffer.from(content.subarray(2)).swap16().toString("utf16le");
    case undefined:
      return undefined;
  }
}

export function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`;
}

/** Where to read a file: a buffer of at least `size` bytes whose start keeps what an earlier, smaller buffer held. */
export type ReadSpace = (size: number) => Buffer;

/** One growing heap buffer per thread, for readers without a place of their own. */
let heap = Buffer.allocUnsafe(1 << 20);
export const heapSpace: ReadSpace = (size) => {
  if (size > heap.length) {
    const grown = Buffer.allocUnsafe(size);
    heap.copy(grown);
    heap = grown;
  }
  return heap;
};

export type FileBytes = { ok: true; bytes: Buffer } | { ok: false; reason: string; bytes: number };

/**
 * Reads one file's bytes for scanning, synchronously, or says why it cannot
 * be read. For files in the page cache (a checkout, usually) a direct
 * syscall is much cheaper than hops through libuv's thread pool; the file is
 * read until EOF into `space` (1 MiB to start, doubling), so there is no
 * fstat and no per-file allocation. The bytes are valid until the space is
 * used again.
 */
export function readBytesSync(path: string, maxBytes: number, space: ReadSpace): FileBytes {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    return { ok: false, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? "error"})`, bytes: 0 };
  }
  try {
    let buffer = space(Math.min(1 << 20, maxBytes + 1));
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) {
        if (filled > maxBytes) return { ok: false, reason: `larger than ${formatMiB(maxBytes)} (--max-file-size)`, bytes: fstatSync(fd).size };
        buffer = space(Math.min(buffer.length * 2, maxBytes + 1));
      }
      const bytesRead = readSync(fd, buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > maxBytes) return { ok: false, reason: `larger than ${formatMiB(maxBytes)} (--max-file-size)`, bytes: filled };
    return { ok: true, bytes: buffer.subarray(0, filled) };
  } catch (error) {
    return { ok: false, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? "error"})`, bytes: 0 };
  } finally {
    closeSync(fd);
  }
}
