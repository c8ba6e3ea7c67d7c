import { describe, expect, it } from "vitest";
import { RULES } from "../../src/scanner/rules.js";
import { scanText } from "../../src/scanner/detect.js";
import { revealSecret } from "../../src/scanner/secret.js";
import { expand } from "./template.js";
import { PEPPER, position } from "./spans.js";

function ruleFor(name: string): string | undefined {
  return RULES.find((r) => r.prefix === `${name}_`)?.id;
}

describe("every rule's own cases", () => {
  for (const rule of RULES) {
    describe(rule.id, () => {
      it.each(rule.truePositives.map((c) => [c.why ?? c.text, c] as const))("finds: %s", (_label, c) => {
        const { text, placed } = expand(c.text);
        const findings = scanText(text, { path: "case.txt", pepper: PEPPER });
        expect(findings, `${c.source}: ${JSON.stringify(c.text)}`).toHaveLength(placed.length);
        for (const p of placed) {
          const from = position(text, p.start);
          const to = position(text, p.end);
          const f = findings.find((x) => x.line === from.line && x.column >= from.column && x.column < to.column);
          expect(f, `no finding for ${p.name} in ${JSON.stringify(c.text)}`).toBeDefined();
          if (!f) continue;
          expect(f.ruleId).toBe(ruleFor(p.name));
          expect(revealSecret(f)).toBe(p.key);
          if (p.encoding) {
            expect(f.encoding).toBe(p.encoding);
            expect(f.endColumn).toBeLessThanOrEqual(to.column);
          } else {
            expect(f.encoding).toBeUndefined();
            expect([f.column, f.endColumn]).toEqual([from.column, to.column]);
          }
        }
      });
      it.each(rule.falsePositives.map((c) => [c.why ?? c.text, c] as const))("ignores: %s", (_label, c) => {
        const { text } = expand(c.text);
        const findings = scanText(text, { path: "case.txt", pepper: PEPPER });
        expect(findings.map((f) => f.redacted), `${c.source}: ${JSON.stringify(text)}`).toEqual([]);
      });
    });
  }

  it("every rule has cases on both sides and a reference", () => {
    for (const rule of RULES) {
      expect(rule.truePositives.length, rule.id).toBeGreaterThan(0);
      expect(rule.falsePositives.length, rule.id).toBeGreaterThan(0);
      expect(rule.references.length, rule.id).toBeGreaterThan(0);
    }
  });
});
