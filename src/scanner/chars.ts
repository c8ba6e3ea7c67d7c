/** Character classes on UTF-16 code units; keys are ASCII, so anything else is never part of one. */

export function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

export const UNDERSCORE = 95;
const BACKSLASH = 92;
const PERCENT = 37;
/** Stands for an escape such as `\n` that separates like whitespace. */
const SEPARATOR = 32;

function hexAt(text: string, i: number, n: number): number {
  if (i < 0) return -1;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = text.charCodeAt(i + k);
    if (!isHexDigit(c)) return -1;
    v = v * 16 + (c <= 57 ? c - 48 : (c | 32) - 87);
  }
  return v;
}

/** The escape starting at i (`%XX`, `\uXXXX`, `\xXX`) as [character code, length], or undefined. */
export function escapeAt(text: string, i: number): [number, number] | undefined {
  const c = text.charCodeAt(i);
  if (c === PERCENT) {
    const v = hexAt(text, i + 1, 2);
    return v < 0 ? undefined : [v, 3];
  }
  if (c === BACKSLASH) {
    const t = text.charCodeAt(i + 1);
    if (t === 117 /* u */) {
      const v = hexAt(text, i + 2, 4);
      return v < 0 ? undefined : [v, 6];
    }
    if (t === 120 /* x */) {
      const v = hexAt(text, i + 2, 2);
      return v < 0 ? undefined : [v, 4];
    }
  }
  return undefined;
}

/** The character that ends at i, decoding an escape that ends there, as [code, length]. */
function charBefore(text: string, i: number): [number, number] {
  const c = text.charCodeAt(i - 1);
  if (!isAlnum(c)) return [c, 1];
  if (i >= 3 && text.charCodeAt(i - 3) === PERCENT) {
    const v = hexAt(text, i - 2, 2);
    if (v >= 0) return [v, 3];
  }
  if (i >= 4 && text.charCodeAt(i - 4) === BACKSLASH && text.charCodeAt(i - 3) === 120) {
    const v = hexAt(text, i - 2, 2);
    if (v >= 0) return [v, 4];
  }
  if (i >= 6 && text.charCodeAt(i - 6) === BACKSLASH && text.charCodeAt(i - 5) === 117) {
    const v = hexAt(text, i - 4, 4);
    if (v >= 0) return [v, 6];
  }
  if (i >= 2 && text.charCodeAt(i - 2) === BACKSLASH) return [SEPARATOR, 2];
  return [c, 1];
}

/*
 * A quick, conservative form of boundaryBefore for the hot loop: false only
 * where boundaryBefore is certainly false, that is where a letter or digit
 * comes before `start` and cannot be the last character of an escape. Words
 * like "task_test_" and "risk_live_" are common in source text; most of them
 * end here, without decoding anything.
 */
export function mayFollowBoundary(text: string, start: number): boolean {
  const c = text.charCodeAt(start - 1);
  if (!isAlnum(c) || text.charCodeAt(start - 2) === BACKSLASH) return true;
  if (!isHexDigit(c)) return false;
  const third = text.charCodeAt(start - 3);
  return third === PERCENT || third === 120 /* x */ || text.charCodeAt(start - 5) === 117; /* u */
}

/*
 * A key starts at `start` only if it is not the tail of a longer identifier.
 * Escapes count as the character they encode: `\n`, `\u0022`, `%3D` separate;
 * `%5F` is an underscore. A run of underscores separates only if what comes
 * before it does: "_sk_live_…_" is Markdown emphasis, "MY_sk_live_…" an
 * identifier.
 */
export function boundaryBefore(text: string, start: number): boolean {
  let i = start;
  while (i > 0) {
    const [code, length] = charBefore(text, i);
    if (code === UNDERSCORE) {
      i -= length;
      continue;
    }
    return !isAlnum(code);
  }
  return true;
}

/** The body ends at `end`; a following letter, digit or `_word` (plain or escaped) means it was part of a longer identifier. */
export function boundaryAfter(text: string, end: number): boolean {
  let i = end;
  while (i < text.length) {
    const esc = escapeAt(text, i);
    const code = esc ? esc[0] : text.charCodeAt(i);
    if (code !== UNDERSCORE) return !isAlnum(code);
    i += esc ? esc[1] : 1;
  }
  return true;
}
