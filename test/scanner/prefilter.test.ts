import { describe, expect, it } from "vitest";
import { findMatches } from "../../src/scanner/find.js";
import { Prefilter } from "../../src/scanner/prefilter.js";
import { RULES } from "../../src/scanner/rules.js";
import { LABELED_CASES } from "../fixtures/scanner/labeled-cases.js";
import { fakeKey, fakeWebhookSecret } from "../helpers/fake-keys.js";
import { expand, KEY_NAMES, randomFrom, reseed } from "./template.js";

/*
 * The prefilter may only ever clear text the engine finds nothing in: every
 * test here checks that wherever the engine has a match, the prefilter says
 * "look closer", on the text's bytes as the CLI reads them (UTF-8, and
 * Latin-1 for binary files).
 */

const prefilter = new Prefilter();

function flags(bytes: Buffer): boolean {
  const input = prefilter.input(bytes.length);
  bytes.copy(input);
  return prefilter.mayHoldKey(bytes.length);
}

/** Checks one text both ways it can reach the prefilter; returns whether the engine matched. */
function agrees(text: string): boolean {
  const matched = findMatches(text).length > 0;
  if (matched) {
    expect(flags(Buffer.from(text, "utf8")), JSON.stringify(text)).toBe(true);
    if ([...text].every((char) => char.charCodeAt(0) < 256)) expect(flags(Buffer.from(text, "latin1")), JSON.stringify(text)).toBe(true);
  }
  return matched;
}

describe("prefilter", () => {
  it("flags every rule's true positives, and agrees with the engine on its false positives", () => {
    reseed(11);
    for (const rule of RULES) {
      for (const c of rule.truePositives) expect(agrees(expand(c.text).text), c.text).toBe(true);
      for (const c of rule.falsePositives) agrees(expand(c.text).text);
    }
  });

  it("flags the labelled cases wherever the engine matches", () => {
    reseed(12);
    let matched = 0;
    for (let round = 0; round < 5; round++) for (const c of LABELED_CASES) if (agrees(expand(c.text).text)) matched++;
    expect(matched).toBeGreaterThan(100);
  });

  it("flags a key at every offset within the SIMD blocks, at the very start and the very end", () => {
    const key = fakeKey("sk", "live");
    for (let offset = 0; offset < 40; offset++) {
      expect(agrees(" ".repeat(offset) + key)).toBe(true);
      expect(agrees("x".repeat(offset) + "\n" + key + "\n" + "y".repeat(offset))).toBe(true);
    }
  });

  it("flags keys after escapes that end in a letter or digit", () => {
    const key = fakeKey("rk", "test");
    for (const before of ["\\n", "\\t", "%22", "%3D", "\\x22", "\\x3d", "\\u0022", "\\u003D"]) expect(agrees(`a${before}${key}`), before).toBe(true);
  });

  it("flags escaped prefixes, webhook secrets and base64 at every alignment", () => {
    const key = fakeKey("sk", "live");
    expect(agrees(key.replace(/_/g, "%5F"))).toBe(true);
    expect(agrees(key.replace(/_/g, "%5f"))).toBe(true);
    expect(agrees(key.replace(/_/g, "\\u005f"))).toBe(true);
    expect(agrees(key.replace(/_/g, "\\x5F"))).toBe(true);
    expect(agrees(`secret: ${fakeWebhookSecret()}`)).toBe(true);
    for (const name of KEY_NAMES) {
      const body = randomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", name === "whsec" ? 32 : 99);
      for (let align = 0; align < 3; align++) {
        const encoded = Buffer.from(`${"::".slice(0, align)}${[name, body].join("_")}\n`).toString("base64");
        expect(agrees(`data: ${encoded}`), `${name} at ${align}`).toBe(true);
      }
    }
  });

  it("agrees with the engine on random documents full of near misses", () => {
    reseed(13);
    const parts = ["task_test_", "risk_live_", "desk_", "k_", "sk_", "whsec", "wh", "%5", "%5F", "\\u005", "\\x5", "X2", "Z", "za19", "NrX2", "c2tf", "\\n", "%22", " ", "\n", "é", "→", "\u0000"];
    let matched = 0;
    for (let doc = 0; doc < 3000; doc++) {
      let text = "";
      for (let part = 0; part < 12; part++) {
        text += parts[Number.parseInt(randomFrom("0123456789", 4), 10) % parts.length];
        if (randomFrom("0123", 1) === "0") text += [KEY_NAMES[Number.parseInt(randomFrom("0123456789", 2), 10) % KEY_NAMES.length], randomFrom("ABCDEFGHabcdefgh0123456789", 40)].join("_");
      }
      if (agrees(text)) matched++;
    }
    expect(matched).toBeGreaterThan(500);
  });

  it("clears text the engine finds nothing in: words that run into a prefix, hex, camelCase", () => {
    const text = "const taskTestSuite = task_test_suite(risk_live_feed, desk_test_env);\n// 0xdeadbeef Xylophone Zebra lazy whistle\n".repeat(500);
    expect(findMatches(text)).toEqual([]);
    expect(flags(Buffer.from(text))).toBe(false);
  });

  it("grows its memory for a large file and still sees a key at the end", () => {
    const text = "const a = 1;\n".repeat(300_000) + `key = "${fakeKey("sk", "live")}"\n`;
    expect(flags(Buffer.from(text))).toBe(true);
    expect(flags(Buffer.from("const a = 1;\n".repeat(300_000)))).toBe(false);
  });
});
