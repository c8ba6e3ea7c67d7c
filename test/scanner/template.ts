/**
 * Expands the case templates of src/scanner/rules.ts (syntax documented
 * there) into text with fresh fake keys, and records where each top-level
 * placeholder landed so tests can check exact spans.
 */

export interface Placed {
  /** The key name of the (innermost) key placeholder, e.g. "sk_live". */
  name: string;
  /** The raw key that was generated. */
  key: string;
  start: number;
  end: number;
  encoding?: "base64" | "percent" | "unicode-escape";
}

export interface Expanded {
  text: string;
  placed: Placed[];
}

const ALPHABETS: Record<string, string> = {
  alnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  lower: "abcdefghijklmnopqrstuvwxyz0123456789",
  upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
  hex: "0123456789abcdef",
  digits: "0123456789",
};

export const KEY_NAMES = ["sk_live", "sk_test", "rk_live", "rk_test", "pk_live", "pk_test", "sk_org_live", "sk_org_test", "sk_org", "whsec", "sk_prod", "rk_prod"] as const;

/*
 * A seeded generator (mulberry32), so a failing case reproduces on every run:
 * random bodies occasionally and legitimately look like placeholders, and a
 * test must not flip on that.
 */
let state = 0x5eed5;
export function reseed(seed: number): void {
  state = seed >>> 0;
}
function next(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export function randomFrom(alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

function makeKey(name: string, args: string[]): string {
  if (!(KEY_NAMES as readonly string[]).includes(name)) throw new Error(`unknown key name in template: ${name}`);
  let length = name === "whsec" ? 32 : 99;
  let alphabet = ALPHABETS.alnum ?? "";
  let body: string | undefined;
  let lead = "";
  for (const arg of args) {
    if (/^\d+$/.test(arg)) length = Number(arg);
    else if (arg.startsWith("body=")) {
      const lit = arg.slice(5);
      const rep = /^(.)\*(\d+)$/.exec(lit);
      body = rep ? (rep[1] ?? "").repeat(Number(rep[2])) : lit;
    } else if (arg.startsWith("lead=")) lead = arg.slice(5);
    else if (ALPHABETS[arg] !== undefined) alphabet = ALPHABETS[arg] ?? alphabet;
    else throw new Error(`unknown template argument: ${arg}`);
  }
  // Joined at runtime: the source never holds a key-shaped literal.
  return [name, body ?? lead + randomFrom(alphabet, Math.max(0, length - lead.length))].join("_");
}

const ENCODERS: Record<string, { encoding: Placed["encoding"]; encode: (s: string) => string }> = {
  b64: { encoding: "base64", encode: (s) => Buffer.from(s, "utf8").toString("base64") },
  b64url: { encoding: "base64", encode: (s) => Buffer.from(s, "utf8").toString("base64url") },
  pct: { encoding: "percent", encode: (s) => s.replace(/[^A-Za-z0-9]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`) },
  uesc: { encoding: "unicode-escape", encode: (s) => s.replace(/_/g, "\\u005f") },
  xesc: { encoding: "unicode-escape", encode: (s) => s.replace(/_/g, "\\x5f") },
};

/** Index of the "}}" closing the placeholder whose content starts at `from`. */
function closing(t: string, from: number): number {
  let depth = 0;
  for (let i = from; i < t.length - 1; i++) {
    if (t.startsWith("{{", i)) {
      depth++;
      i++;
    } else if (t.startsWith("}}", i)) {
      if (depth === 0) return i;
      depth--;
      i++;
    }
  }
  throw new Error(`unclosed placeholder in template: ${t}`);
}

export function expand(template: string): Expanded {
  let text = "";
  const placed: Placed[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{{", i);
    if (open === -1) {
      text += template.slice(i);
      break;
    }
    text += template.slice(i, open);
    const close = closing(template, open + 2);
    const inner = template.slice(open + 2, close);
    const colon = inner.indexOf(":");
    const head = colon === -1 ? inner : inner.slice(0, colon);
    const encoder = ENCODERS[head];
    if (head === "open" || head === "close") {
      // Literal braces, for cases that quote template languages ({{ secrets.X }}).
      text += head === "open" ? "{{" : "}}";
    } else if (encoder) {
      const nested = expand(inner.slice(colon + 1));
      const first = nested.placed[0];
      const encoded = encoder.encode(nested.text);
      placed.push({ name: first?.name ?? "", key: first?.key ?? "", start: text.length, end: text.length + encoded.length, encoding: encoder.encoding });
      text += encoded;
    } else {
      const args = colon === -1 ? [] : inner.slice(colon + 1).split(":");
      const key = makeKey(head, args);
      placed.push({ name: head, key, start: text.length, end: text.length + key.length });
      text += key;
    }
    i = close + 2;
  }
  return { text, placed };
}
