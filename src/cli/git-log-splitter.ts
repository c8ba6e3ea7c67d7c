import type { CommitInfo } from "../scanner/index.js";

/*
 * Splits a streamed `git log -p` into commits and diff text without holding
 * the whole history. Commit headers are printed by our own --format, led by
 * NUL bytes, which never occur in a text diff (git calls such files binary);
 * so finding a commit boundary is a memchr, not a line-by-line parse.
 */

export const LOG_FORMAT = "--format=%x00%H%x00%aI%x00%ae%x00%an%x00";
const HEADER_NULS = 5;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const FILE_BOUNDARY = Buffer.from("\ndiff --git ");

export interface LogSink {
  commit(info: CommitInfo): void;
  /** Whole file diffs of the current commit (one or more), ready for parseUnifiedDiff. */
  diff(text: Buffer): void;
  commitEnd(): void;
}

export class GitLogSplitter {
  private carry: Buffer | undefined;
  private inHeader = false;
  private inCommit = false;
  private pieces: Buffer[] = [];
  private size = 0;
  private flushAt: number;

  /** `flushBytes`: a commit's diff is handed on in parts once this much is pending, split between files. */
  constructor(
    private readonly sink: LogSink,
    private readonly flushBytes = 8 * 1024 * 1024,
  ) {
    this.flushAt = flushBytes;
  }

  feed(chunk: Buffer): void {
    let buf = chunk;
    if (this.carry !== undefined) {
      buf = Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
    }
    let pos = 0;
    for (;;) {
      if (this.inHeader) {
        let end = pos;
        for (let n = 0; n < HEADER_NULS; n++) {
          end = buf.indexOf(0, n === 0 ? pos : end + 1);
          if (end === -1) {
            this.carry = buf.subarray(pos);
            return;
          }
        }
        this.startCommit(buf.toString("utf8", pos + 1, end));
        pos = end + 1;
        this.inHeader = false;
      }
      const nul = buf.indexOf(0, pos);
      if (nul === -1) {
        this.append(buf.subarray(pos));
        return;
      }
      this.append(buf.subarray(pos, nul));
      this.endCommit();
      this.inHeader = true;
      pos = nul;
    }
  }

  end(): void {
    if (this.carry !== undefined && this.carry.length > 0) {
      throw new Error("git log output ended inside a commit header");
    }
    this.endCommit();
  }

  private startCommit(fields: string): void {
    const [sha = "", date = "", email = "", author = ""] = fields.split("\0");
    const info: CommitInfo = { sha, author, date };
    if (email !== "") info.email = email;
    this.inCommit = true;
    this.sink.commit(info);
  }

  private append(part: Buffer): void {
    if (part.length === 0 || !this.inCommit) return;
    if (this.size === 0) {
      // Skip the line ends between the header and the first diff.
      let start = 0;
      while (start < part.length && (part[start] === NEWLINE || part[start] === CARRIAGE_RETURN)) start++;
      if (start === part.length) return;
      part = part.subarray(start);
    }
    this.pieces.push(part);
    this.size += part.length;
    if (this.size >= this.flushAt) this.flushWholeFiles();
  }

  /** Hands on every complete file diff pending, keeping the last (possibly partial) one. */
  private flushWholeFiles(): void {
    const all = this.pieces.length === 1 ? (this.pieces[0] as Buffer) : Buffer.concat(this.pieces);
    const cut = all.lastIndexOf(FILE_BOUNDARY);
    if (cut <= 0) {
      // One file's diff larger than flushBytes: keep collecting it, without re-joining on every chunk.
      this.pieces = [all];
      this.flushAt = this.size * 2;
      return;
    }
    this.sink.diff(all.subarray(0, cut + 1));
    const rest = all.subarray(cut + 1);
    this.pieces = [rest];
    this.size = rest.length;
    this.flushAt = Math.max(this.flushBytes, this.size * 2);
  }

  private endCommit(): void {
    if (!this.inCommit) return;
    if (this.size > 0) {
      this.sink.diff(this.pieces.length === 1 ? (this.pieces[0] as Buffer) : Buffer.concat(this.pieces));
    }
    this.pieces = [];
    this.size = 0;
    this.flushAt = this.flushBytes;
    this.inCommit = false;
    this.sink.commitEnd();
  }
}
