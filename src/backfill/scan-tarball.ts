/*
 * A repository snapshot as GitHub serves it (a gzipped tar with one
 * top-level folder, "owner-repo-<sha>/"), scanned as it streams: gunzip,
 * parse, and scan each file the moment its last byte arrives. Nothing is
 * written to disk; memory holds one segment of one file at a time.
 */
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import type { Finding } from "../scanner/index.js";
import { StreamingFileScanner } from "./file-scanner.js";
import { TarParser } from "./tar-parser.js";

export interface TarballScanOptions {
  pepper: string;
  /** Called as each file's findings are known, before the archive ends. */
  onFindings?: (findings: readonly Finding[]) => void;
  /** Paths (top-level folder stripped) not to scan at all. */
  skipPath?: (path: string) => boolean;
  segmentBytes?: number;
  /** False when the source is a plain tar (tests, `git archive --format=tar`). */
  gzip?: boolean;
}

export interface TarballScan {
  findings: Finding[];
  filesScanned: number;
  /** Uncompressed bytes of the files scanned. */
  bytesScanned: number;
  /** Paths of binary files, not scanned. */
  binarySkipped: string[];
  /** Symlinks, directories and other non-files. */
  nonFilesSkipped: number;
  /** The commit git archive recorded in its pax global header, when present. */
  commitSha?: string;
}

/** "owner-repo-abc1234/src/a.ts" -> "src/a.ts"; the folder itself -> "". */
export function stripTopLevel(path: string): string {
  const slash = path.indexOf("/");
  return slash === -1 ? "" : path.slice(slash + 1);
}

export async function scanTarball(source: AsyncIterable<Uint8Array> | Readable, options: TarballScanOptions): Promise<TarballScan> {
  const result: TarballScan = { findings: [], filesScanned: 0, bytesScanned: 0, binarySkipped: [], nonFilesSkipped: 0 };
  let current: { scanner: StreamingFileScanner; path: string } | undefined;
  let skipping = false;

  const parser = new TarParser({
    fileStart(entry) {
      const path = stripTopLevel(entry.path);
      skipping = path === "" || options.skipPath?.(path) === true;
      current = skipping ? undefined : { path, scanner: new StreamingFileScanner(path, { pepper: options.pepper, ...(options.segmentBytes ? { segmentBytes: options.segmentBytes } : {}) }) };
    },
    data(chunk) {
      if (!current) return;
      result.bytesScanned += chunk.length;
      current.scanner.write(chunk);
    },
    fileEnd() {
      const done = current;
      current = undefined;
      if (!done) return;
      const found = done.scanner.end();
      if (done.scanner.verdict === "binary") {
        result.binarySkipped.push(done.path);
        return;
      }
      result.filesScanned++;
      if (found.length === 0) return;
      result.findings.push(...found);
      options.onFindings?.(found);
    },
    skipped() {
      result.nonFilesSkipped++;
    },
    global(records) {
      const comment = records.get("comment");
      if (comment && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(comment)) result.commitSha = comment;
    },
  });

  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        parser.write(chunk);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    final(done) {
      try {
        parser.end();
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });

  const input = source instanceof Readable ? source : Readable.from(source, { objectMode: false });
  if (options.gzip === false) await pipeline(input, sink);
  else await pipeline(input, createGunzip(), sink);
  return result;
}
