import { isHexDigit } from "./chars.js";
import { findPlainMatches, type RawMatch } from "./match.js";
import { RULES } from "./rules.js";
import type { Encoding } from "./types.js";

/*
 * Keys whose underscores are escaped: percent-encoding ("sk%5Flive%5F…", from
 * encoders that escape everything but alphanumerics) and string escapes
 * ("sk\u005flive\u005f…", "\x5f"). Every such key has an escaped "_", so one
 * native pass per escape introducer finds all candidates; around each we
 * decode a small window and run the plain matcher on it.
 */

const BEFORE = 24;
const AFTER = 64 + Math.max(...RULES.map((r) => r.prefix.length * 6 + r.maxBody));

interface Decoded {
  text: string;
  /** offsets[k] is the index in the original text of decoded character k; one extra entry for the end. */
  offsets: number[];
}

function hexAt(text: string, i: number, n: number): number {
  for (let k = 0; k < n; k++) if (!isHexDigit(text.charCodeAt(i + k))) return -1;
  return parseInt(text.slice(i, i + n), 16);
}

/** The escape at i as [character code, length], or undefined. */
function escapeAt(text: string, i: number): [number, number] | undefined {
  const c = text.charCodeAt(i);
  if (c === 37) {
    const v = hexAt(text, i + 1, 2);
    return v < 0 ? undefined : [v, 3];
  }
  if (c === 92) {
    const t = text.charCodeAt(i + 1);
    if (t === 117) {
      const v = hexAt(text, i + 2, 4);
      return v < 0 ? undefined : [v, 6];
    }
    if (t === 120) {
      const v = hexAt(text, i + 2, 2);
      return v < 0 ? undefined : [v, 4];
    }
  }
  return undefined;
}

function decodeWindow(text: string, from: number, to: number): Decoded {
  let out = "";
  const offsets: number[] = [];
  let i = from;
  while (i < to) {
    const esc = escapeAt(text, i);
    offsets.push(i);
    if (esc) {
      out += String.fromCharCode(esc[0]);
      i += esc[1];
    } else {
      out += text[i];
      i++;
    }
  }
  offsets.push(i);
  return { text: out, offsets };
}

const INTRODUCERS: readonly { needle: string; encoding: Encoding; underscoreAt: number }[] = [
  { needle: "%5", encoding: "percent", underscoreAt: 2 },
  { needle: "\\u005", encoding: "unicode-escape", underscoreAt: 5 },
  { needle: "\\x5", encoding: "unicode-escape", underscoreAt: 3 },
];

export function findEscapedMatches(text: string, out: RawMatch[]): void {
  const seen = new Set<number>();
  for (const { needle, encoding, underscoreAt } of INTRODUCERS) {
    let skipUntil = -1;
    for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) {
      const f = text.charCodeAt(i + underscoreAt);
      if ((f !== 70 && f !== 102) || i < skipUntil) continue;
      let from = Math.max(0, i - BEFORE);
      // Do not start inside an escape: back up to its introducer.
      for (let k = 1; k <= 5 && from - k >= 0; k++) {
        const c = text.charCodeAt(from - k);
        if (c === 37 || c === 92) {
          from -= k;
          break;
        }
      }
      const to = Math.min(text.length, i + AFTER);
      const decoded = decodeWindow(text, from, to);
      const found: RawMatch[] = [];
      findPlainMatches(decoded.text, found);
      for (const m of found) {
        const start = decoded.offsets[m.start] ?? from;
        const end = decoded.offsets[m.end] ?? to;
        // Keys with no escape inside are the plain scanner's.
        if (end - start === m.end - m.start || seen.has(start)) continue;
        seen.add(start);
        out.push({ start, end, key: m.key, rule: m.rule, encoding });
      }
      // Any key whose first escape is this close was wholly inside the window.
      skipUntil = to === text.length ? to : i + 64;
    }
  }
}
