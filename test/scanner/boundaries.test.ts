import { describe, expect, it } from "vitest";
import { scanText } from "../../src/scanner/detect.js";
import { fakeKey } from "../helpers/fake-keys.js";
import { randomFrom, reseed } from "./template.js";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/* Seeded, so a body that happens to look like a placeholder cannot make the test flaky. */
const randomBody = (n: number): string => randomFrom(ALNUM, n);
import { PEPPER } from "./spans.js";

const ctx = { path: "x", pepper: PEPPER };

/* "K" marks where the key goes. */
const REPORTED = [
  "K",
  " K ",
  "'K'",
  "`K`",
  "(K)",
  "[K]",
  "{K}",
  "<K>",
  "key=K&x=1",
  "key:K,",
  "K;",
  "\"K\\n\"",
  "\\tK",
  "\\u0022K\\u0022",
  "%22K%22",
  "key%3DK",
  "/api/K/charges",
  "https://K:@api.stripe.com",
  "_K_",
  "**K**",
  "é K é",
  "密钥K。",
  "K-suffix",
  "K.",
  "--K",
  "$K",
  "@K",
];

const NOT_REPORTED = ["xK", "1K", "MY_K", "K_tail", "K1_x", "a_K"];

describe("exact boundaries", () => {
  it.each(REPORTED)("reports the key in %s with its exact span", (shape) => {
    const key = fakeKey("sk", "live");
    const text = shape.replace("K", key);
    const findings = scanText(text, ctx);
    expect(findings.map((f) => [f.column, f.endColumn])).toEqual([[text.indexOf(key) + 1, text.indexOf(key) + key.length + 1]]);
  });

  it.each(NOT_REPORTED)("does not report the key in %s", (shape) => {
    const text = shape.replace("K", fakeKey("sk", "live"));
    expect(scanText(text, ctx)).toEqual([]);
  });

  it("finds every key on a long minified line", () => {
    const keys = Array.from({ length: 50 }, (_, i) => fakeKey(i % 2 ? "sk" : "rk", "live"));
    const text = keys.map((k, i) => `a${i}:"${k}"`).join(",");
    const findings = scanText(text, ctx);
    expect(findings).toHaveLength(50);
    expect(findings.map((f) => f.column)).toEqual(keys.map((k) => text.indexOf(k) + 1));
  });

  it("accepts bodies from 20 up to 512 characters and no longer", () => {
    reseed(512);
    for (const n of [20, 24, 32, 99, 128, 247, 512]) expect(scanText(fakeKey("sk", "live", randomBody(n)), ctx).length, `body ${n}`).toBe(1);
    expect(scanText(fakeKey("sk", "live", randomBody(19)), ctx)).toEqual([]);
    expect(scanText(fakeKey("sk", "live", randomBody(513)), ctx)).toEqual([]);
  });
});
