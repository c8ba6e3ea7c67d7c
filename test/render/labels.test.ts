import { describe, expect, it } from "vitest";
import { ALL_LABELS, incidentLabels, labelDefinition } from "../../src/render/labels.js";
import { makeFinding } from "./fixtures.js";

describe("incidentLabels", () => {
  it("gives kind, severity and mode labels after the configured ones", () => {
    expect(incidentLabels(makeFinding({ kind: "secret", mode: "live", severity: "critical" }), ["stripe-leak"])).toEqual([
      "stripe-leak",
      "kind: secret-key",
      "severity: critical",
      "mode: live",
    ]);
  });

  it("leaves out the mode label when the key does not state one, and drops duplicates", () => {
    expect(incidentLabels(makeFinding({ kind: "webhook-secret", severity: "high" }), ["severity: high"])).toEqual([
      "severity: high",
      "kind: webhook-secret",
    ]);
  });
});

describe("labelDefinition", () => {
  it("gives every label the renderers produce a valid colour and a short description", () => {
    for (const label of ALL_LABELS) {
      expect(label.color).toMatch(/^[0-9a-f]{6}$/);
      expect(label.description.length).toBeGreaterThan(0);
      expect(label.description.length).toBeLessThanOrEqual(100);
      expect(label.name.length).toBeLessThanOrEqual(50);
      expect(labelDefinition(label.name)).toEqual(label);
    }
    for (const kind of ["secret", "restricted", "org-secret", "webhook-secret", "publishable"] as const) {
      for (const name of incidentLabels(makeFinding({ kind }))) {
        expect(ALL_LABELS.map((label) => label.name)).toContain(name);
      }
    }
  });

  it("falls back to a neutral definition for labels from repo config", () => {
    expect(labelDefinition("team: payments")).toEqual({
      name: "team: payments",
      color: "ededed",
      description: expect.any(String) as string,
    });
  });
});
