import { boundaryAfter, boundaryBefore, escapeAt, isAlnum } from "./chars.js";
import type { RawMatch } from "./match.js";
import { RULES_BY_PREFIX } from "./rules.js";
import type { Encoding } from "./types.js";

/*
 * Keys whose underscores are escaped: percent-encoding ("sk%5Flive%5F…", from
 * encoders that escape everything but alphanumerics) and string escapes
 * ("sk\u005flive\u005f…", "\x5f"). Every such key has an escaped "_" right
 * after "sk", "rk", "pk" or "whsec", so one native pass per escape introducer
 * finds all candidates. Only the prefix is decoded; bodies are alphanumeric,
 * which no encoder escapes.
 */

const LONGEST_PREFIX = Math.max(...RULES_BY_PREFIX.map((r) => r.prefix.length));

/** The escaped key starting at `start`: its rule, its end in the text and the decoded key. */
function escapedKeyAt(text: string, start: number): Omit<RawMatch, "encoding"> | undefined {
  let head = "";
  const ends: number[] = [];
  let j = start;
  while (head.length < LONGEST_PREFIX && j < text.length) {
    const esc = escapeAt(text, j);
    const code = esc ? esc[0] : text.charCodeAt(j);
    if (!isAlnum(code) && code !== 95) break;
    head += String.fromCharCode(code);
    j += esc ? esc[1] : 1;
    ends.push(j);
  }
  const rule = RULES_BY_PREFIX.find((r) => head.startsWith(r.prefix));
  if (!rule) return undefined;
  const bodyStart = ends[rule.prefix.length - 1] ?? start;
  const cap = Math.min(text.length, bodyStart + rule.maxBody + 1);
  let end = bodyStart;
  while (end < cap && isAlnum(text.charCodeAt(end))) end++;
  const length = end - bodyStart;
  if (length < rule.minBody || length > rule.maxBody || !boundaryAfter(text, end)) return undefined;
  return { start, end, rule, key: rule.prefix + text.slice(bodyStart, end) };
}

/* The escape at i follows a whole "sk", "rk", "pk" or "whsec": where the key would start, or -1. */
function keyStartBefore(text: string, i: number): number {
  if (i >= 2 && text.charCodeAt(i - 1) === 107 /* k */) {
    const c = text.charCodeAt(i - 2);
    if (c === 115 || c === 114 || c === 112) return boundaryBefore(text, i - 2) ? i - 2 : -1;
  }
  return i >= 5 && text.startsWith("whsec", i - 5) && boundaryBefore(text, i - 5) ? i - 5 : -1;
}

function isF(c: number): boolean {
  return c === 70 || c === 102;
}

/** Length of the escaped underscore (`\u005f`, `\x5f`) starting at a backslash, or 0. */
function backslashUnderscore(text: string, i: number): number {
  const t = text.charCodeAt(i + 1);
  if (t === 117 /* u */ && text.startsWith("005", i + 2) && isF(text.charCodeAt(i + 5))) return 6;
  if (t === 120 /* x */ && text.charCodeAt(i + 2) === 53 && isF(text.charCodeAt(i + 3))) return 4;
  return 0;
}

function tryAt(text: string, i: number, encoding: Encoding, out: RawMatch[]): void {
  const start = keyStartBefore(text, i);
  if (start < 0) return;
  const m = escapedKeyAt(text, start);
  if (m) out.push({ ...m, encoding });
}

/* Two native passes: "%5" for percent-encoding, "\\" for both string escapes. */
export function findEscapedMatches(text: string, out: RawMatch[]): void {
  for (let i = text.indexOf("%5"); i !== -1; i = text.indexOf("%5", i + 2)) {
    if (isF(text.charCodeAt(i + 2))) tryAt(text, i, "percent", out);
  }
  for (let i = text.indexOf("\\"); i !== -1; i = text.indexOf("\\", i + 1)) {
    if (backslashUnderscore(text, i) > 0) tryAt(text, i, "unicode-escape", out);
  }
}
