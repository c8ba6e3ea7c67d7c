import { isAlnum } from "./chars.js";
import { keyAt, type RawMatch } from "./match.js";
import { RULES } from "./rules.js";

/*
 * Keys inside base64 (Kubernetes Secret data, HTTP Basic credentials, blobs).
 * A prefix encodes differently at each of the three byte offsets it can take
 * within a 3-byte group; for each offset we take the characters that depend on
 * the prefix alone (the "needle"). Rather than one pass per needle, we make one
 * native indexOf pass per rare "anchor" character that occurs in the needles,
 * then compare the needles that carry that anchor. Needles are alphanumeric,
 * so they match standard and URL-safe base64 alike.
 */

interface Needle {
  text: string;
  /** Byte offset of the prefix within its 3-byte group. */
  align: number;
  /** Characters from the start of the group to the needle. */
  lead: number;
  /** Index of the anchor character in `text`. */
  anchorAt: number;
}

/** Needles by the code of a neighbouring character (ASCII only), so that most anchor hits cost one array read. */
type ByCode = Array<Needle[] | undefined>;

interface Anchor {
  char: string;
  /** Needles keyed by the character right after the anchor. */
  byNext: ByCode;
  /** Needles that end with the anchor, keyed by the character before it. */
  byPrev: ByCode;
  hasPrev: boolean;
}

/*
 * Rare in source text, rarest first; between them they occur in every
 * needle. Four memchr-speed passes cost less than one Boyer-Moore pass for a
 * needle without an anchor.
 */
const ANCHOR_PREFERENCE = ["X", "Z", "Y", "z"];

const CODE = new Int16Array(128).fill(-1);
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".split("").forEach((ch, i) => (CODE[ch.charCodeAt(0)] = i));
CODE[43] = 62; // +
CODE[45] = 62; // - (URL-safe)
CODE[47] = 63; // /
CODE[95] = 63; // _ (URL-safe)

function base64Value(c: number): number {
  return c < 128 ? (CODE[c] ?? -1) : -1;
}

function add(table: ByCode, code: number, needle: Needle): void {
  (table[code] ??= []).push(needle);
}

export interface Base64Needle {
  text: string;
  align: number;
  lead: number;
  /** The needle's rarest character (from ANCHOR_PREFERENCE), if it has one. */
  anchor: string | undefined;
}

/** Every rule prefix as base64 at each byte offset: the characters that depend on the prefix alone. */
export function base64Needles(): Base64Needle[] {
  const needles: Base64Needle[] = [];
  for (const prefix of new Set(RULES.map((r) => r.prefix))) {
    for (let align = 0; align < 3; align++) {
      const encoded = Buffer.concat([Buffer.alloc(align), Buffer.from(prefix, "latin1")]).toString("base64");
      const lead = Math.ceil((8 * align) / 6);
      const text = encoded.slice(lead, Math.floor((8 * (align + prefix.length)) / 6));
      needles.push({ text, align, lead, anchor: ANCHOR_PREFERENCE.find((a) => text.includes(a)) });
    }
  }
  return needles;
}

function buildNeedles(): { anchors: Anchor[]; unanchored: Needle[] } {
  const anchors = new Map<string, Anchor>();
  const unanchored: Needle[] = [];
  for (const { text, align, lead, anchor: char } of base64Needles()) {
    if (char === undefined) {
      unanchored.push({ text, align, lead, anchorAt: 0 });
      continue;
    }
    const anchor = anchors.get(char) ?? { char, byNext: new Array<Needle[] | undefined>(128).fill(undefined), byPrev: new Array<Needle[] | undefined>(128).fill(undefined), hasPrev: false };
    anchors.set(char, anchor);
    const first = text.indexOf(char);
    const inner = first < text.length - 1 ? first : text.lastIndexOf(char, text.length - 2);
    if (inner >= 0) add(anchor.byNext, text.charCodeAt(inner + 1), { text, align, lead, anchorAt: inner });
    else {
      add(anchor.byPrev, text.charCodeAt(first - 1), { text, align, lead, anchorAt: first });
      anchor.hasPrev = true;
    }
  }
  return { anchors: [...anchors.values()], unanchored };
}

const NEEDLES = buildNeedles();
const LONGEST_PREFIX = Math.max(...RULES.map((r) => r.prefix.length));
const LONGEST_BODY = Math.max(...RULES.map((r) => r.maxBody));

interface Decoded {
  /** The bytes, as a latin1 string. */
  bytes: string;
  /** Bytes decoded before the first line break the data was wrapped at (all of them if none). */
  firstLineBytes: number;
  /** Where the base64 text on the first line ends. */
  firstLineEnd: number;
}

/** Whether [from, to) holds only base64 characters, with "=" padding allowed at the end. */
function pureBase64(text: string, from: number, to: number): boolean {
  let i = from;
  while (i < to && base64Value(text.charCodeAt(i)) >= 0) i++;
  while (i < to && text.charCodeAt(i) === 61) i++;
  return i === to && to > from;
}

function skipIndent(text: string, i: number): number {
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  return i;
}

/*
 * At i, a line break: where wrapped base64 continues on the next line, or -1.
 * Both lines must be nothing but base64 (after indentation), so that two
 * values on neighbouring lines ("A: c2tf…" / "B: …") are never joined.
 */
function continuation(text: string, i: number): number {
  let j = i;
  if (text.charCodeAt(j) === 13) j++;
  if (text.charCodeAt(j) !== 10) return -1;
  const lineStart = skipIndent(text, text.lastIndexOf("\n", i - 1) + 1);
  if (!pureBase64(text, lineStart, i)) return -1;
  const next = skipIndent(text, j + 1);
  let end = text.indexOf("\n", next);
  if (end === -1) end = text.length;
  if (text.charCodeAt(end - 1) === 13) end--;
  return pureBase64(text, next, end) ? next : -1;
}

/*
 * Decodes whole groups from `from` into at most `maxBytes` bytes, stopping at
 * the first character that is not base64. Data wrapped at a group boundary
 * (the `base64` tool's 76 columns, PEM's 64, YAML block scalars with
 * indentation) is followed onto the next lines.
 */
function decode(text: string, from: number, maxBytes: number, keyFrom: number): Decoded {
  let bytes = "";
  let acc = 0;
  let bits = 0;
  let chars = 0;
  let firstLineBytes = -1;
  let firstLineEnd = -1;
  // Once the key's run of letters, digits and "_" has ended, a few more bytes are enough for the boundary check.
  let limit = maxBytes;
  let i = from;
  while (i < text.length && bytes.length < limit) {
    const v = base64Value(text.charCodeAt(i));
    if (v < 0) {
      const next = chars % 4 === 0 && chars >= 16 ? continuation(text, i) : -1;
      if (next < 0) break;
      if (firstLineBytes < 0) {
        firstLineBytes = bytes.length;
        firstLineEnd = i;
      }
      i = next;
      continue;
    }
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    chars++;
    if (bits >= 8) {
      bits -= 8;
      const byte = (acc >> bits) & 0xff;
      if (limit === maxBytes && bytes.length > keyFrom && !isAlnum(byte) && byte !== 95) limit = bytes.length + 8;
      bytes += String.fromCharCode(byte);
    }
    i++;
  }
  return firstLineBytes < 0 ? { bytes, firstLineBytes: bytes.length, firstLineEnd: i } : { bytes, firstLineBytes, firstLineEnd };
}

function handle(text: string, needle: Needle, at: number, out: RawMatch[], seen: Set<number>): void {
  const group = at - needle.lead;
  if (group < 0) return;
  // Two groups back give the bytes before the prefix, for the boundary check.
  let from = group;
  for (let k = 0; k < 2 && from - 4 >= 0; k++) {
    let ok = true;
    for (let j = from - 4; j < from; j++) if (base64Value(text.charCodeAt(j)) < 0) ok = false;
    if (!ok) break;
    from -= 4;
  }
  const bytesBefore = ((group - from) / 4) * 3;
  const keyStart = bytesBefore + needle.align;
  const decoded = decode(text, from, keyStart + LONGEST_PREFIX + LONGEST_BODY + 2, keyStart);
  const hit = keyAt(decoded.bytes, keyStart);
  if (!hit) return;
  const start = from + Math.floor((keyStart * 4) / 3);
  let end: number;
  if (hit.end > decoded.firstLineBytes) {
    // A finding has one line: a key wrapped onto the next lines is spanned to the end of its first.
    end = decoded.firstLineEnd;
  } else {
    end = from + Math.floor((8 * hit.end - 1) / 6) + 1;
    if (hit.end === decoded.bytes.length) while (text.charCodeAt(end) === 61) end++;
  }
  if (seen.has(start)) return;
  seen.add(start);
  out.push({ start, end, key: decoded.bytes.slice(keyStart, hit.end), rule: hit.rule, encoding: "base64" });
}

function tryNeedles(text: string, i: number, needles: Needle[], out: RawMatch[], seen: Set<number>): void {
  for (const needle of needles) {
    const at = i - needle.anchorAt;
    if (at >= 0 && text.startsWith(needle.text, at)) handle(text, needle, at, out, seen);
  }
}

export function findBase64Matches(text: string, out: RawMatch[]): void {
  const seen = new Set<number>();
  for (const { char, byNext, byPrev, hasPrev } of NEEDLES.anchors) {
    for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) {
      // Needles are ASCII: a neighbour beyond 127 (or past either end, NaN) has no entry.
      const next = byNext[text.charCodeAt(i + 1)];
      if (next !== undefined) tryNeedles(text, i, next, out, seen);
      if (hasPrev) {
        const prev = byPrev[text.charCodeAt(i - 1)];
        if (prev !== undefined) tryNeedles(text, i, prev, out, seen);
      }
    }
  }
  for (const needle of NEEDLES.unanchored) {
    for (let i = text.indexOf(needle.text); i !== -1; i = text.indexOf(needle.text, i + 1)) handle(text, needle, i, out, seen);
  }
}
