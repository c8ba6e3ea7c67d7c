/*
 * A push parser for tar archives: feed it chunks as they arrive, it hands
 * each regular file's content on in pieces and keeps nothing but the current
 * 512-byte header (or a pax/GNU long-name record, capped). So an archive of
 * any size goes through in constant memory, and nothing touches the disk.
 *
 * Formats: ustar (name + prefix), pax extended headers ('x': path, size;
 * 'g' global: git archive's commit id), GNU long names ('L', 'K') and GNU
 * base-256 sizes. Links, directories, devices and FIFOs are skipped.
 */

const BLOCK = 512;
/** A pax or GNU long-name record larger than this is not a name: the archive is corrupt. */
const MAX_META_BYTES = 1024 * 1024;

export type TarEntryType = "file" | "directory" | "symlink" | "hardlink" | "other";

export interface TarEntry {
  /** As stored in the archive (pax and GNU long names applied), top-level folder included. */
  path: string;
  type: TarEntryType;
  size: number;
}

export interface TarSink {
  /** A regular file starts; its bytes follow through `data`, then `end`. */
  fileStart(entry: TarEntry): void;
  data(chunk: Buffer): void;
  fileEnd(): void;
  /** Anything that is not a regular file: counted, never read. */
  skipped?(entry: TarEntry): void;
  /** A pax global header's records (git archive stores the commit id as "comment"). */
  global?(records: ReadonlyMap<string, string>): void;
}

export class TarError extends Error {
  override name = "TarError";
}

type State =
  | { at: "header" }
  | { at: "file"; remaining: number; padding: number }
  | { at: "skip"; remaining: number }
  | { at: "meta"; kind: string; remaining: number; padding: number; parts: Buffer[] }
  | { at: "done" };

export class TarParser {
  private state: State = { at: "header" };
  /** Bytes of a header (or meta record) split across chunks. */
  private pending: Buffer[] = [];
  private pendingSize = 0;
  private zeroBlocks = 0;
  private offset = 0;
  private paxPath: string | undefined;
  private paxSize: number | undefined;
  private longName: string | undefined;
  private entries = 0;

  constructor(private readonly sink: TarSink) {}

  /** True once the two zero blocks that close an archive were read. */
  get finished(): boolean {
    return this.state.at === "done";
  }

  write(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length && this.state.at !== "done") {
      const state = this.state;
      switch (state.at) {
        case "header": {
          const block = this.take(chunk, pos, BLOCK);
          pos = this.consumedTo;
          if (!block) return;
          this.header(block);
          break;
        }
        case "file": {
          if (state.remaining > 0) {
            const n = Math.min(state.remaining, chunk.length - pos);
            this.sink.data(chunk.subarray(pos, pos + n));
            state.remaining -= n;
            pos += n;
            this.offset += n;
            if (state.remaining > 0) return;
            this.sink.fileEnd();
            this.state = { at: "skip", remaining: state.padding };
          }
          break;
        }
        case "skip": {
          const n = Math.min(state.remaining, chunk.length - pos);
          state.remaining -= n;
          pos += n;
          this.offset += n;
          if (state.remaining === 0) this.state = { at: "header" };
          break;
        }
        case "meta": {
          const n = Math.min(state.remaining, chunk.length - pos);
          state.parts.push(Buffer.from(chunk.subarray(pos, pos + n)));
          state.remaining -= n;
          pos += n;
          this.offset += n;
          if (state.remaining > 0) return;
          this.meta(state.kind, Buffer.concat(state.parts));
          this.state = state.padding > 0 ? { at: "skip", remaining: state.padding } : { at: "header" };
          break;
        }
      }
    }
  }

  /** Call when the input ends: an archive cut short is an error, never a clean scan. */
  end(): void {
    if (this.state.at === "done") return;
    // Some writers omit the end-of-archive blocks: fine, as long as every entry announced was read whole.
    if (this.state.at === "header" && this.pendingSize === 0 && (this.entries > 0 || this.zeroBlocks > 0)) return;
    throw new TarError(`archive ended early (at byte ${this.offset}, inside ${this.state.at === "header" ? "a header" : "an entry"})`);
  }

  private consumedTo = 0;

  /** A whole block from pending bytes plus this chunk, or undefined when more input is needed. */
  private take(chunk: Buffer, pos: number, size: number): Buffer | undefined {
    const want = size - this.pendingSize;
    const available = chunk.length - pos;
    if (available < want) {
      this.pending.push(Buffer.from(chunk.subarray(pos)));
      this.pendingSize += available;
      this.offset += available;
      this.consumedTo = chunk.length;
      return undefined;
    }
    this.offset += want;
    this.consumedTo = pos + want;
    if (this.pendingSize === 0) return chunk.subarray(pos, pos + size);
    const block = Buffer.concat([...this.pending, chunk.subarray(pos, pos + want)]);
    this.pending = [];
    this.pendingSize = 0;
    return block;
  }

  private header(block: Buffer): void {
    if (isZero(block)) {
      this.zeroBlocks++;
      if (this.zeroBlocks >= 2) this.state = { at: "done" };
      return;
    }
    this.zeroBlocks = 0;
    verifyChecksum(block, this.offset - BLOCK);
    const flag = String.fromCharCode(block[156] ?? 0);
    const ownSize = readSize(block, this.offset - BLOCK);

    if (flag === "x" || flag === "g" || flag === "L" || flag === "K") {
      const size = ownSize;
      const padding = (BLOCK - (size % BLOCK)) % BLOCK;
      if (size > MAX_META_BYTES) throw new TarError(`a ${flag} header record of ${size} bytes is too large (at byte ${this.offset - BLOCK})`);
      this.state = size === 0 ? { at: "header" } : { at: "meta", kind: flag, remaining: size, padding, parts: [] };
      return;
    }

    // A pax size (for files past the 8 GiB an octal field holds) overrides the header's.
    const size = this.paxSize ?? ownSize;
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    const path = this.paxPath ?? this.longName ?? headerName(block);
    this.paxPath = undefined;
    this.paxSize = undefined;
    this.longName = undefined;
    this.entries++;
    const type = entryType(flag);
    if (type !== "file") {
      this.sink.skipped?.({ path, type, size });
      // Links and directories carry no data, whatever their size field says; others are skipped over.
      const carries = type === "other" ? size + padding : 0;
      this.state = carries > 0 ? { at: "skip", remaining: carries } : { at: "header" };
      return;
    }
    this.sink.fileStart({ path, type, size });
    if (size === 0) {
      this.sink.fileEnd();
      this.state = { at: "header" };
      return;
    }
    this.state = { at: "file", remaining: size, padding };
  }

  private meta(kind: string, body: Buffer): void {
    if (kind === "L") {
      this.longName = cString(body, 0, body.length);
      return;
    }
    if (kind === "K") return; // long link target: links are skipped anyway
    const records = parsePax(body, this.offset);
    if (kind === "g") {
      this.sink.global?.(records);
      return;
    }
    const path = records.get("path");
    if (path !== undefined) this.paxPath = path;
    const size = records.get("size");
    if (size !== undefined) {
      const parsed = Number(size);
      if (!Number.isSafeInteger(parsed) || parsed < 0) throw new TarError(`pax size "${size.slice(0, 20)}" is not a byte count`);
      this.paxSize = parsed;
    }
  }
}

function isZero(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

function cString(buf: Buffer, start: number, end: number): string {
  const nul = buf.indexOf(0, start);
  return buf.toString("utf8", start, nul === -1 || nul > end ? end : nul);
}

function octal(block: Buffer, start: number, length: number): number {
  const text = block.toString("latin1", start, start + length).replace(/[\0 ]+$/g, "").replace(/^[\0 ]+/, "");
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) return Number.NaN;
  return parseInt(text, 8);
}

function readSize(block: Buffer, at: number): number {
  const first = block[124] ?? 0;
  let size: number;
  if (first & 0x80) {
    // GNU base-256: big-endian, the high bit of the first byte is the marker.
    size = first & 0x7f;
    for (let i = 125; i < 136; i++) size = size * 256 + (block[i] ?? 0);
  } else {
    size = octal(block, 124, 12);
  }
  if (!Number.isSafeInteger(size) || size < 0) throw new TarError(`unreadable entry size (at byte ${at})`);
  return size;
}

function verifyChecksum(block: Buffer, at: number): void {
  const stored = octal(block, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  if (stored !== sum) throw new TarError(`not a tar archive, or corrupt: header checksum mismatch at byte ${at}`);
}

/** ustar joins prefix and name; GNU's old format uses those bytes for other things, so only "ustar\0" counts. */
function headerName(block: Buffer): string {
  const name = cString(block, 0, 100);
  const posix = block.toString("latin1", 257, 263) === "ustar\0";
  const prefix = posix ? cString(block, 345, 500) : "";
  return prefix === "" ? name : `${prefix}/${name}`;
}

function entryType(flag: string): TarEntryType {
  switch (flag) {
    case "0":
    case "\0":
    case "7":
      return "file";
    case "5":
      return "directory";
    case "2":
      return "symlink";
    case "1":
      return "hardlink";
    default:
      return "other";
  }
}

/** "<length> <key>=<value>\n" records, the length counting the whole record. */
function parsePax(body: Buffer, at: number): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < body.length) {
    if (body[pos] === 0) break;
    const space = body.indexOf(0x20, pos);
    const length = space === -1 ? Number.NaN : Number(body.toString("latin1", pos, space));
    if (!Number.isSafeInteger(length) || length <= 0 || pos + length > body.length) {
      throw new TarError(`malformed pax header record (near byte ${at})`);
    }
    const record = body.toString("utf8", space + 1, pos + length - 1);
    const eq = record.indexOf("=");
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    pos += length;
  }
  return records;
}
