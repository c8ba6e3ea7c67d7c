import { describe, expect, it } from "vitest";
import { boundaryBefore, mayFollowBoundary } from "../../src/scanner/chars.js";
import { randomFrom, reseed } from "./template.js";

/* mayFollowBoundary is a prefilter: it may let through what boundaryBefore refuses, never the reverse. */
describe("mayFollowBoundary", () => {
  it("is true wherever boundaryBefore is true", () => {
    reseed(7);
    // Escape introducers, hex digits, letters that end escapes, underscores and separators, densely mixed.
    const alphabet = "\\%xuU05FfAaEeGgnrt_ \"'=:9";
    let checked = 0;
    for (let n = 0; n < 20000; n++) {
      const text = randomFrom(alphabet, 10) + "sk_live_";
      const start = 10;
      if (boundaryBefore(text, start)) {
        checked++;
        expect(mayFollowBoundary(text, start), JSON.stringify(text)).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("turns away a word that runs into the prefix", () => {
    expect(mayFollowBoundary("task_test_suite", 2)).toBe(false);
    expect(mayFollowBoundary("risk_live_feed", 2)).toBe(false);
  });

  it("lets escapes and separators through to the full check", () => {
    for (const text of ["\\nsk_", "%22sk_", "\\x3dsk_", "\\u0022sk_", " sk_", "_sk_"]) {
      expect(mayFollowBoundary(text, text.length - 3), text).toBe(true);
    }
  });
});
