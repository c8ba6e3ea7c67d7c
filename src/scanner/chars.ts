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

/*
 * A key starts at `start` only if it is not the tail of a longer identifier.
 * An escape that ends in a letter or hex digit (`\n`, `\u0022`, `\x22`,
 * `%22`) is a separator too: JSON-escaped and URL-encoded text put those
 * right before a key.
 */
export function boundaryBefore(text: string, start: number): boolean {
  if (start === 0) return true;
  let i = start - 1;
  const c = text.charCodeAt(i);
  if (c === UNDERSCORE) {
    // "_sk_live_…_" is Markdown emphasis, "MY_sk_live_…" an identifier.
    while (i >= 0 && text.charCodeAt(i) === UNDERSCORE) i--;
    return i < 0 || !isAlnum(text.charCodeAt(i));
  }
  if (!isAlnum(c)) return true;
  if (i >= 1 && text.charCodeAt(i - 1) === BACKSLASH) return true;
  if (i >= 2 && text.charCodeAt(i - 2) === PERCENT && isHexDigit(c) && isHexDigit(text.charCodeAt(i - 1))) return true;
  if (i >= 3 && text.charCodeAt(i - 3) === BACKSLASH && text.charCodeAt(i - 2) === 120 && isHexDigit(c) && isHexDigit(text.charCodeAt(i - 1))) {
    return true;
  }
  if (i >= 5 && text.charCodeAt(i - 5) === BACKSLASH && text.charCodeAt(i - 4) === 117) {
    return isHexDigit(text.charCodeAt(i - 3)) && isHexDigit(text.charCodeAt(i - 2)) && isHexDigit(text.charCodeAt(i - 1)) && isHexDigit(c);
  }
  return false;
}

/** The body ends at `end`; a following `_word` means the run was part of a longer identifier. */
export function boundaryAfter(text: string, end: number): boolean {
  if (end >= text.length) return true;
  const c = text.charCodeAt(end);
  if (isAlnum(c)) return false;
  if (c !== UNDERSCORE) return true;
  let i = end;
  while (i < text.length && text.charCodeAt(i) === UNDERSCORE) i++;
  return i >= text.length || !isAlnum(text.charCodeAt(i));
}
