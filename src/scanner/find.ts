import { findBase64Matches } from "./base64.js";
import { findEscapedMatches } from "./escapes.js";
import { findPlainMatches, type RawMatch } from "./match.js";

/** Every key in the text, plain or encoded, sorted by position; placeholders are not filtered yet. */
export function findMatches(text: string): RawMatch[] {
  const out: RawMatch[] = [];
  findPlainMatches(text, out);
  findBase64Matches(text, out);
  findEscapedMatches(text, out);
  if (out.length > 1) out.sort((a, b) => a.start - b.start || b.end - a.end);
  return out;
}
