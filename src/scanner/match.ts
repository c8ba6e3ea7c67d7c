import { boundaryAfter, boundaryBefore, isAlnum, mayFollowBoundary } from "./chars.js";
import type { Encoding } from "./types.js";
import { RULES_BY_PREFIX, type Rule } from "./rules.js";

/** A key found in some text, before it becomes a Finding. Offsets are UTF-16 indices into the scanned text. */
export interface RawMatch {
  /** Span in the scanned text: the key itself, or the encoded text that holds it. */
  start: number;
  end: number;
  key: string;
  rule: Rule;
  encoding?: Encoding;
}

const PLUS = 43;
const SLASH = 47;

/*
 * Svix and others also use "whsec_", with a base64 body that may contain "+"
 * and "/"; Stripe's bodies are alphanumeric only, so such a run is not ours.
 * (A trailing "=" is not evidence enough: "KEY=whsec_…=" is too easily a typo.)
 */
function continuesAsBase64(text: string, end: number): boolean {
  const c = text.charCodeAt(end);
  return (c === PLUS || c === SLASH) && isAlnum(text.charCodeAt(end + 1));
}

/** The key that starts exactly at `start`, with its rule, or undefined. Longest prefix wins and is final. */
export function keyAt(text: string, start: number): { rule: Rule; end: number } | undefined {
  if (!boundaryBefore(text, start)) return undefined;
  for (const rule of RULES_BY_PREFIX) {
    if (!text.startsWith(rule.prefix, start)) continue;
    const bodyStart = start + rule.prefix.length;
    const cap = Math.min(text.length, bodyStart + rule.maxBody + 1);
    let end = bodyStart;
    while (end < cap && isAlnum(text.charCodeAt(end))) end++;
    const length = end - bodyStart;
    if (length < rule.minBody || length > rule.maxBody) return undefined;
    if (!boundaryAfter(text, end)) return undefined;
    if (rule.kind === "webhook-secret" && continuesAsBase64(text, end)) return undefined;
    return { rule, end };
  }
  return undefined;
}

const S = 115;
const R = 114;
const P = 112;
const L = 108;
const T = 116;
const O = 111;

/*
 * Plain keys. Every account and organization prefix contains "k_" right after
 * its first letter, and webhook secrets start with "whsec_": two native
 * indexOf passes find every candidate, and only hits are looked at closely.
 */
export function findPlainMatches(text: string, out: RawMatch[]): void {
  for (let i = text.indexOf("k_", 1); i !== -1; i = text.indexOf("k_", i + 2)) {
    const first = text.charCodeAt(i - 1);
    if (first !== S && first !== R && first !== P) continue;
    // live, test, prod, org: anything else after "k_" is not a prefix.
    const mode = text.charCodeAt(i + 2);
    if (mode !== L && mode !== T && mode !== P && mode !== O) continue;
    if (mayFollowBoundary(text, i - 1)) push(text, i - 1, out);
  }
  for (let i = text.indexOf("whsec_"); i !== -1; i = text.indexOf("whsec_", i + 6)) push(text, i, out);
}

function push(text: string, start: number, out: RawMatch[]): void {
  const hit = keyAt(text, start);
  if (hit) out.push({ start, end: hit.end, key: text.slice(start, hit.end), rule: hit.rule });
}
