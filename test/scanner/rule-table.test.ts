import { describe, expect, it } from "vitest";
import { RULES, RULES_BY_PREFIX } from "../../src/scanner/rules.js";

describe("the rule table", () => {
  it("gives each kind and mode the severity the issue asks for", () => {
    const table = Object.fromEntries(RULES.map((r) => [r.prefix, [r.kind, r.mode, r.severity]]));
    expect(table).toEqual({
      sk_live_: ["secret", "live", "critical"],
      sk_test_: ["secret", "test", "low"],
      rk_live_: ["restricted", "live", "critical"],
      rk_test_: ["restricted", "test", "low"],
      pk_live_: ["publishable", "live", "info"],
      pk_test_: ["publishable", "test", "info"],
      sk_org_live_: ["org-secret", "live", "critical"],
      sk_org_test_: ["org-secret", "test", "low"],
      sk_org_: ["org-secret", "unknown", "critical"],
      whsec_: ["webhook-secret", "unknown", "high"],
      sk_prod_: ["secret", "live", "critical"],
      rk_prod_: ["restricted", "live", "critical"],
    });
  });

  it("has unique ids and prefixes, tried longest first", () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    expect(new Set(RULES.map((r) => r.prefix)).size).toBe(RULES.length);
    const lengths = RULES_BY_PREFIX.map((r) => r.prefix.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
  });

  it("accepts bodies of at least 247 characters", () => {
    for (const r of RULES.filter((x) => x.kind !== "webhook-secret")) expect(r.maxBody, r.id).toBeGreaterThanOrEqual(247);
  });
});
