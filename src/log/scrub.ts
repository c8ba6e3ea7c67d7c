/*
 * The text-level scrubber. Logs are not the scanner: a false positive costs
 * nothing here, a miss leaks a key, so the patterns are deliberately wider than
 * the detection rules (any case, no word boundary, short bodies, and the
 * separator may appear percent- or \u-escaped).
 */

const SEP = String.raw`(?:_|%5[fF]|\\u005[fF])`;
const STRIPE_KEY = String.raw`(?:sk|rk|pk)${SEP}(?:org(?:${SEP}(?:live|test))?|live|test)${SEP}[A-Za-z0-9]{4,}`;
const WEBHOOK_SECRET = String.raw`whsec${SEP}[A-Za-z0-9+/=]{4,}`;

const KEY_SHAPED = new RegExp(`${STRIPE_KEY}|${WEBHOOK_SECRET}`, "gi");
const BODY_START = new RegExp(`^(?:(?:sk|rk|pk)${SEP}(?:org(?:${SEP}(?:live|test))?|live|test)|whsec)${SEP}`, "i");

/** What a key-shaped run becomes: its prefix, an ellipsis and the last four characters. */
function mask(match: string): string {
  const prefix = BODY_START.exec(match)?.[0] ?? "";
  return `${prefix.replace(/%5f|\\u005f/gi, "_")}…${match.slice(-4)}`;
}

/** Replaces every key-shaped run in `text`; text without one is returned unchanged (same string). */
export function scrubString(text: string): string {
  if (!mightHoldKey(text)) return text;
  return text.replace(KEY_SHAPED, mask);
}

/** Cheap pre-check so that most log lines skip the full pattern. */
function mightHoldKey(text: string): boolean {
  const lower = text.toLowerCase();
  return lower.includes("k_") || lower.includes("k%5f") || lower.includes("k\\u005f") || lower.includes("whsec");
}

/** True when `text` still holds something key-shaped; tests and the logger's self-check use it. */
export function holdsKeyShape(text: string): boolean {
  KEY_SHAPED.lastIndex = 0;
  const found = KEY_SHAPED.test(text);
  KEY_SHAPED.lastIndex = 0;
  return found;
}
