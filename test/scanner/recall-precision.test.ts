import { describe, expect, it } from "vitest";
import { scanText } from "../../src/scanner/detect.js";
import { RULES } from "../../src/scanner/rules.js";
import { LABELED_CASES } from "../fixtures/scanner/labeled-cases.js";
import { expand, reseed } from "./template.js";
import { PEPPER, position } from "./spans.js";

/* Each case is expanded this many times with fresh random keys, so the plausibility filters are exercised on many bodies. */
const ROUNDS = 25;

function ruleIdOf(name: string): string | undefined {
  return RULES.find((r) => r.prefix === `${name}_`)?.id;
}

describe("recall and precision on the labeled set", () => {
  it("are each at least 99%", () => {
    let tp = 0;
    let fn = 0;
    let fp = 0;
    const misses: string[] = [];
    const noise: string[] = [];
    reseed(2026);
    for (const c of LABELED_CASES) {
      for (let round = 0; round < ROUNDS; round++) {
        const { text, placed } = expand(c.text);
        const findings = scanText(text, { path: "case", pepper: PEPPER }).filter((f) => f.kind !== "publishable");
        const used = new Set<number>();
        if (c.positive) {
          for (const p of placed) {
            if (p.name.startsWith("pk_")) continue;
            const from = position(text, p.start);
            const to = position(text, p.end);
            const i = findings.findIndex(
              (f, k) => !used.has(k) && f.ruleId === ruleIdOf(p.name) && f.line === from.line && f.column >= from.column && f.endColumn <= to.column + (from.line === to.line ? 0 : Infinity),
            );
            if (i === -1) {
              fn++;
              misses.push(`${c.source} ${c.ref}: ${JSON.stringify(c.text)}`);
            } else {
              tp++;
              used.add(i);
            }
          }
        }
        findings.forEach((f, k) => {
          if (used.has(k)) return;
          fp++;
          noise.push(`${c.source} ${c.ref}: ${JSON.stringify(c.text)} -> ${f.ruleId} ${f.redacted}`);
        });
      }
    }
    const recall = tp / (tp + fn);
    const precision = tp / (tp + fp);
    expect(tp).toBeGreaterThan(LABELED_CASES.length);
    expect(recall, `missed:\n${[...new Set(misses)].join("\n")}`).toBeGreaterThanOrEqual(0.99);
    expect(precision, `false positives:\n${[...new Set(noise)].join("\n")}`).toBeGreaterThanOrEqual(0.99);
  });

  it("reports publishable keys as information, never as a leak", () => {
    const { text } = expand("var stripe = Stripe('{{pk_live}}'); var t = Stripe('{{pk_test}}');");
    const findings = scanText(text, { path: "case", pepper: PEPPER });
    expect(findings.map((f) => [f.kind, f.severity])).toEqual([
      ["publishable", "info"],
      ["publishable", "info"],
    ]);
  });

  it("notes the source of every case", () => {
    for (const c of LABELED_CASES) expect(c.ref.length, c.text).toBeGreaterThan(0);
    const sources = new Set(LABELED_CASES.map((c) => c.source));
    for (const s of ["gitleaks", "trufflehog", "detect-secrets", "github-docs", "stripe-docs", "gitguardian", "own"]) expect(sources).toContain(s);
  });
});
