import { describe, expect, it } from "vitest";
import { scanText } from "../../src/scanner/detect.js";
import { placeholderReason } from "../../src/scanner/plausibility.js";
import { revealSecret } from "../../src/scanner/secret.js";
import { KEY_NAMES, randomFrom, reseed } from "./template.js";
import { PEPPER } from "./spans.js";

/* Seeded random documents: keys between random separators, among key-like noise. */
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const SEPARATORS = [" ", "\n", "\t", '"', "'", "`", "=", ":", ",", ";", "(", ")", "[", "]", "{", "}", "<", ">", "/", "?", "&", "|", "*", "#", "!", "\r\n", "\\n", "%20", "é", "→"];
const NOISE = ["task_test_", "sk_live", "pk_", "whsec", "k_", "_live_", "sk_org", "rk_test_xx", "X2xpdmVf", "%5F", "\\u005f", "c2tf", "=="];

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Number.parseInt(randomFrom("0123456789", 6), 10) / 1e6 * items.length)] as T;
}

describe("random documents", () => {
  it("every planted key is found once, with its exact span, and nothing else is", () => {
    reseed(42);
    for (let doc = 0; doc < 300; doc++) {
      let text = "";
      const planted: { key: string; start: number }[] = [];
      for (let part = 0; part < 20; part++) {
        text += pick(SEPARATORS);
        if (pick([true, false, false])) {
          const name = pick(KEY_NAMES);
          const length = name === "whsec" ? pick([32, 64]) : pick([24, 32, 99, 107, 247]);
          const body = randomFrom(ALNUM, length);
          const key = [name, body].join("_");
          // Bodies that happen to look like placeholders are plausibility.ts's business, not this test's.
          if (placeholderReason(body) === undefined) planted.push({ key, start: text.length });
          text += key;
        } else text += pick(NOISE) + randomFrom("abc", Number.parseInt(randomFrom("0123", 1), 10));
        text += pick(SEPARATORS);
      }
      const findings = scanText(text, { path: "doc", pepper: PEPPER });
      const got = findings.map((f) => revealSecret(f));
      expect(got, JSON.stringify(text)).toEqual(planted.map((p) => p.key));
      for (const [i, f] of findings.entries()) {
        const p = planted[i];
        if (!p) continue;
        const lineStart = text.lastIndexOf("\n", p.start - 1) + 1;
        expect([f.column, f.endColumn]).toEqual([p.start - lineStart + 1, p.start - lineStart + 1 + p.key.length]);
      }
    }
  });
});

describe("random base64 blobs", () => {
  it("find the key at any offset, in standard and URL-safe base64, within the blob's span", () => {
    reseed(7);
    for (let round = 0; round < 400; round++) {
      const name = KEY_NAMES[round % KEY_NAMES.length] ?? "sk_live";
      const body = randomFrom(ALNUM, name === "whsec" ? 32 : 99);
      if (placeholderReason(body) !== undefined) continue;
      const key = [name, body].join("_");
      // Separators next to the key, so that it is a whole key in the decoded text.
      const before = round % 23 === 0 ? "" : randomFrom("abc =\n{}\":", round % 23) + "=";
      const after = round % 7 === 0 ? "" : "\n" + randomFrom("xyz =\n}\"", round % 7);
      const payload = Buffer.from(`${before}${key}${after}`, "utf8");
      const blob = round % 2 ? payload.toString("base64") : payload.toString("base64url");
      const text = `value: ${blob}\n`;
      const findings = scanText(text, { path: "blob", pepper: PEPPER });
      expect(findings.map((f) => revealSecret(f)), `${JSON.stringify(before)} + key + ${JSON.stringify(after)}`).toEqual([key]);
      const f = findings[0];
      expect(f?.column).toBeGreaterThanOrEqual(8);
      expect(f?.endColumn).toBeLessThanOrEqual(8 + blob.length);
    }
  });
});
