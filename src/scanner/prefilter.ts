import { base64Needles } from "./base64.js";
import { PREFILTER_WASM_HEX } from "./prefilter-wasm.js";

/*
 * A first look at a file's bytes, before any string is made of them: most
 * files hold no key, and for those the prefilter (prefilter.wat, sixteen
 * bytes at a time in WebAssembly SIMD) says so for a fraction of what
 * decoding and the engine's searches cost. It only ever answers "certainly
 * nothing the engine would report" or "look closer": a file it flags is
 * decoded and scanned by the engine as before, so findings come from the
 * engine alone.
 *
 * It reads bytes, so it applies where the engine's text keeps ASCII where
 * the bytes have it: ASCII, UTF-8 and Latin-1 (binary) files. UTF-16 files
 * go straight to the engine.
 */

/** Memory layout: where each anchor's needles are, the needle table, the needles' bytes, then the input with zeroed guard bytes around it. */
const INDEX = 1024;
const TABLE = 2048;
const TEXTS = 3072;
/** Blocks found by the SIMD pass, 8 bytes each, and 4 bytes after for their end. */
const BLOCKS = 8192;
const BLOCKS_END = BLOCKS + 8 * 2048;
const INPUT = 32768;
const GUARD = 32;
const PAGE = 65536;

/* The few WebAssembly names used here: the project's TypeScript libraries (ES2023, Node) do not declare them. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Exports {
  memory: WasmMemory;
  mayHoldKey(input: number, length: number, index: number, table: number, blocks: number, blocksEnd: number): number;
}

/** The base64 anchors prefilter.wat compares each byte with. */
const SIMD_ANCHORS = "XYZz";

/** The base64 needles as the prefilter's tables, grouped by anchor: one of the bytes the SIMD pass looks for. */
function writeNeedles(memory: Uint8Array): void {
  const view = new DataView(memory.buffer);
  const needles = base64Needles().map(({ text, anchor }) => {
    // The prefilter would never look at such a needle, and would clear text the engine matches: fail where it is built.
    if (anchor === undefined || !SIMD_ANCHORS.includes(anchor)) throw new Error(`base64 needle ${text} has no anchor the prefilter looks for`);
    return { text, anchor: anchor.charCodeAt(0), anchorAt: text.indexOf(anchor) };
  });
  needles.sort((a, b) => a.anchor - b.anchor);
  let text = TEXTS;
  needles.forEach((needle, n) => {
    const entry = TABLE + 8 * n;
    view.setUint8(entry, needle.anchorAt);
    view.setUint8(entry + 1, needle.text.length);
    view.setUint32(entry + 4, text, true);
    memory.set(Buffer.from(needle.text, "latin1"), text);
    text += needle.text.length;
    // Entries [first, end) for this anchor byte.
    if (n === 0 || needles[n - 1]?.anchor !== needle.anchor) view.setUint16(INDEX + 4 * needle.anchor, n, true);
    view.setUint16(INDEX + 4 * needle.anchor + 2, n + 1, true);
  });
  if (TABLE + 8 * needles.length > TEXTS || text > BLOCKS) throw new Error("prefilter tables overflow their space");
}

export class Prefilter {
  private readonly exports: Exports;
  private view: Buffer;

  constructor() {
    const module = new wasm.Module(Buffer.from(PREFILTER_WASM_HEX, "hex"));
    this.exports = new wasm.Instance(module).exports as Exports;
    writeNeedles(new Uint8Array(this.exports.memory.buffer));
    this.view = this.inputView();
  }

  private inputView(): Buffer {
    return Buffer.from(this.exports.memory.buffer, INPUT, this.exports.memory.buffer.byteLength - INPUT - GUARD);
  }

  /**
   * A buffer of at least `size` bytes in the prefilter's memory, to read a
   * file into. Growing keeps what was read so far; the buffer is valid until
   * the next call.
   */
  input(size: number): Buffer {
    if (size > this.view.length) {
      const needed = Math.ceil((INPUT + size + GUARD) / PAGE) - this.exports.memory.buffer.byteLength / PAGE;
      this.exports.memory.grow(needed);
      this.view = this.inputView();
    }
    return this.view;
  }

  /** False when the `length` bytes read into input() certainly hold no key the engine would report. */
  mayHoldKey(length: number): boolean {
    new Uint8Array(this.exports.memory.buffer, INPUT + length, GUARD).fill(0);
    return this.exports.mayHoldKey(INPUT, length, INDEX, TABLE, BLOCKS, BLOCKS_END) !== 0;
  }
}
