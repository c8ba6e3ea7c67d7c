/*
 * Scans one file whose bytes arrive in pieces. Binary files are recognised
 * as git does (a NUL in the first 8,000 bytes) and dropped at once. Text is
 * scanned in segments cut at line ends, so a large file never sits in memory
 * whole and no key (which never spans a line) is cut in two. A line longer
 * than a segment is cut anyway, with an overlap that holds any key whole.
 */
import { scanText, type Finding } from "../scanner/index.js";

const BINARY_PROBE = 8000;
const NEWLINE = 0x0a;

export interface FileScannerOptions {
  pepper: string;
  /** Bytes scanned at a time. */
  segmentBytes?: number;
}

export type FileVerdict = "text" | "binary";

/** Overlap kept across a cut inside a line: longer than any key, plain or encoded. */
const OVERLAP = 4096;

export class StreamingFileScanner {
  private pieces: Buffer[] = [];
  private size = 0;
  private probed = false;
  private binary = false;
  /** Lines before the pending bytes. */
  private lineOffset = 0;
  private readonly segmentBytes: number;
  private readonly seen = new Set<string>();
  readonly findings: Finding[] = [];

  constructor(
    private readonly path: string,
    private readonly options: FileScannerOptions,
  ) {
    this.segmentBytes = options.segmentBytes ?? 4 * 1024 * 1024;
  }

  get verdict(): FileVerdict {
    return this.binary ? "binary" : "text";
  }

  write(chunk: Buffer): void {
    if (this.binary || chunk.length === 0) return;
    this.pieces.push(chunk);
    this.size += chunk.length;
    if (!this.probed && (this.size >= BINARY_PROBE)) this.probe();
    if (this.binary) return;
    if (this.size >= this.segmentBytes) this.flush(false);
  }

  /** Scans what is left; returns every finding of the file. */
  end(): Finding[] {
    if (!this.probed) this.probe();
    if (!this.binary && this.size > 0) this.flush(true);
    this.pieces = [];
    return this.findings;
  }

  private probe(): void {
    this.probed = true;
    const head = this.pieces.length === 1 ? (this.pieces[0] as Buffer) : Buffer.concat(this.pieces);
    this.pieces = [head];
    if (head.subarray(0, BINARY_PROBE).includes(0)) {
      this.binary = true;
      this.pieces = [];
      this.size = 0;
    }
  }

  private flush(last: boolean): void {
    const all = this.pieces.length === 1 ? (this.pieces[0] as Buffer) : Buffer.concat(this.pieces);
    if (last) {
      this.scan(all);
      this.size = 0;
      return;
    }
    const cut = all.lastIndexOf(NEWLINE);
    if (cut !== -1) {
      const head = all.subarray(0, cut + 1);
      this.scan(head);
      this.lineOffset += countLines(head);
      this.keep(all.subarray(cut + 1));
      return;
    }
    // One line longer than a segment (minified code, a data blob): cut at a character boundary, keep an overlap.
    let at = all.length - OVERLAP;
    while (at > 0 && ((all[at] ?? 0) & 0xc0) === 0x80) at--;
    if (at <= 0) return;
    this.scan(all);
    this.keep(all.subarray(at));
  }

  private keep(rest: Buffer): void {
    const copy = Buffer.from(rest);
    this.pieces = copy.length > 0 ? [copy] : [];
    this.size = copy.length;
  }

  private scan(bytes: Buffer): void {
    for (const finding of scanText(bytes.toString("utf8"), { path: this.path, pepper: this.options.pepper })) {
      // Mutated in place (not copied) so revealSecret keeps working on it.
      finding.line += this.lineOffset;
      const id = `${finding.fingerprint}:${finding.line}:${finding.encoding ?? ""}`;
      if (this.seen.has(id)) continue;
      this.seen.add(id);
      this.findings.push(finding);
    }
  }
}

function countLines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) count++;
  return count;
}
