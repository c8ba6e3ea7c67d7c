import { describe, expect, it } from "vitest";
import { scanLines, scanText } from "../../src/scanner/detect.js";
import { revealSecret } from "../../src/scanner/secret.js";
import { fakeKey, fakeWebhookSecret } from "../helpers/fake-keys.js";
import { PEPPER } from "./spans.js";

const ctx = { path: "k8s/secret.yaml", pepper: PEPPER };
const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");

/** 0-based [start, end) of the base64 characters that encode bytes [from, to) of a payload encoded alone. */
function encodedSpan(from: number, to: number): [number, number] {
  return [Math.floor((from * 4) / 3), Math.floor((8 * to - 1) / 6) + 1];
}

describe("base64", () => {
  it("spans exactly the characters that encode the key, at each of the three alignments", () => {
    const key = fakeKey("sk", "live");
    for (const lead of ["", "a=", "ab=", "abc="]) {
      const encoded = b64(`${lead}${key}\nNEXT=1\n`);
      const text = `blob: ${encoded}`;
      const [f, ...rest] = scanText(text, ctx);
      expect(rest).toEqual([]);
      const [s, e] = encodedSpan(lead.length, lead.length + key.length);
      expect(f).toMatchObject({ encoding: "base64", ruleId: "stripe-secret-live", column: 7 + s, endColumn: 7 + e });
      expect(f && revealSecret(f)).toBe(key);
    }
  });

  it("includes the padding when the key ends the data (Kubernetes Secret value)", () => {
    const key = fakeWebhookSecret();
    const value = b64(key);
    const text = `data:\n  STRIPE_WEBHOOK_SECRET: ${value}\n`;
    const [f] = scanText(text, ctx);
    expect(f).toMatchObject({ line: 2, column: 26, endColumn: 26 + value.length, kind: "webhook-secret", encoding: "base64" });
  });

  it("decodes URL-safe base64 and HTTP Basic credentials", () => {
    const key = fakeKey("rk", "live");
    const json = Buffer.from(JSON.stringify({ k: key, pad: "?>?>" }), "utf8").toString("base64url");
    expect(scanText(`t=${json}`, ctx).map((f) => f.ruleId)).toEqual(["stripe-restricted-live"]);
    expect(scanText(`Authorization: Basic ${b64(`${key}:`)}`, ctx).map((f) => f.encoding)).toEqual(["base64"]);
  });

  it("reports nothing for base64 of placeholders or of keys inside identifiers", () => {
    expect(scanText(`x: ${b64(["sk", "live", "x".repeat(30)].join("_"))}`, ctx)).toEqual([]);
    expect(scanText(`x: ${b64(`MY_${fakeKey("sk", "live")}`)}`, ctx)).toEqual([]);
  });

  it("works on a diff's added lines", () => {
    const key = fakeKey("sk", "live");
    const findings = scanLines([{ line: 7, text: `  KEY: ${b64(key)}` }], ctx);
    expect(findings.map((f) => [f.line, f.column, f.encoding])).toEqual([[7, 8, "base64"]]);
  });
});

describe("percent-encoding and string escapes", () => {
  it("spans the escaped text and names the encoding", () => {
    const key = fakeKey("sk", "live");
    const pct = key.replace(/_/g, "%5F");
    const text = `GET /cb?key=${pct}&x=1`;
    const [f] = scanText(text, ctx);
    expect(f).toMatchObject({ encoding: "percent", column: text.indexOf(pct) + 1, endColumn: text.indexOf(pct) + pct.length + 1 });
    expect(f && revealSecret(f)).toBe(key);
  });

  it("handles lower-case hex and both escape styles", () => {
    const key = fakeKey("rk", "test");
    expect(scanText(key.replace(/_/g, "%5f"), ctx).map((f) => f.encoding)).toEqual(["percent"]);
    expect(scanText(`"${key.replace(/_/g, "\\u005F")}"`, ctx).map((f) => f.encoding)).toEqual(["unicode-escape"]);
    expect(scanText(`'${key.replace(/_/g, "\\x5f")}'`, ctx).map((f) => f.encoding)).toEqual(["unicode-escape"]);
  });

  it("does not report an escaped key that continues an identifier", () => {
    const key = fakeKey("sk", "live");
    expect(scanText(`MY%5F${key.replace(/_/g, "%5F")}`, ctx)).toEqual([]);
    expect(scanText(`${key.replace(/_/g, "%5F")}%5Fbackup`, ctx)).toEqual([]);
  });

  it("ignores ordinary escapes", () => {
    expect(scanText("a%5Fb%5Fc \\u005f \\x5F path%2Fto%5Fsk", ctx)).toEqual([]);
  });
});

describe("inline ignore on encoded keys", () => {
  it("waives an encoded test key on a marked line but never an encoded live key", () => {
    const test = fakeKey("sk", "test");
    const live = fakeKey("sk", "live");
    const text = [`a: ${b64(test)} # stripe-leak-guard:ignore`, `b: ${b64(live)} # stripe-leak-guard:ignore`].join("\n");
    expect(scanText(text, ctx).map((f) => [f.line, f.ruleId])).toEqual([[2, "stripe-secret-live"]]);
  });
});

describe("wrapped base64", () => {
  const wrap = (s: string, width: number, indent = ""): string => s.match(new RegExp(`.{1,${width}}`, "g"))?.map((l) => indent + l).join("\n") ?? "";

  it("follows data wrapped at 76 columns, spanning to the end of the first line", () => {
    const key = fakeKey("sk", "live");
    const encoded = b64(`STRIPE=${key}\n`);
    const text = `payload:\n${wrap(encoded, 76)}\n`;
    const [f, ...rest] = scanText(text, ctx);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ line: 2, encoding: "base64", endColumn: 77 });
    expect(f && revealSecret(f)).toBe(key);
  });

  it("follows an indented YAML block scalar wrapped at 64 columns, with CRLF", () => {
    const key = fakeKey("rk", "live");
    const text = `data: |\r\n${wrap(b64(key), 64, "    ").replace(/\n/g, "\r\n")}\r\n`;
    const [f] = scanText(text, ctx);
    expect(f && revealSecret(f)).toBe(key);
    expect(f).toMatchObject({ line: 2, column: 5, endColumn: 69 });
  });

  it("does not join lines cut in the middle of a group", () => {
    const key = fakeKey("sk", "live");
    const encoded = b64(key);
    // 75 characters is not a whole number of groups, so this is not wrapped data.
    const text = `${encoded.slice(0, 75)}\n${encoded.slice(75)}`;
    expect(scanText(text, ctx).map((f) => revealSecret(f))).not.toContain(key);
  });
});

describe("neighbouring base64 values", () => {
  it("are never joined into one key", () => {
    // sk_live_ + 100 characters is 108 bytes: base64 without padding, so only the line break ends it.
    const key = fakeKey("sk", "live", fakeKey("sk", "live").slice(8, 108));
    const text = `data:\n  A: ${b64(key)}\n  KEY2: ${b64("other")}\n`;
    expect(scanText(text, ctx).map((f) => revealSecret(f))).toEqual([key]);
  });
});
