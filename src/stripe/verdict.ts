/*
 * What a verdict means for the incident: its label and its severity. Labels
 * follow the renderer's "<facet>: <value>" style (src/render/labels.ts).
 */
import type { LabelSpec } from "../github/labels.js";
import type { VerificationVerdict } from "../render/types.js";
import { SEVERITIES, type Mode, type Severity } from "../scanner/index.js";

export const VERDICT_LABELS: Record<VerificationVerdict, LabelSpec> = {
  active: { name: "key: active", color: "b60205", description: "Stripe accepted this key when the App checked it: roll it now" },
  "active-restricted": {
    name: "key: active-restricted",
    color: "d93f0b",
    description: "Stripe accepted this restricted key (some permissions) when the App checked it",
  },
  inactive: { name: "key: inactive", color: "0e8a16", description: "Stripe rejected this key (HTTP 401): it has been rolled or deleted" },
  unknown: { name: "key: unknown", color: "ededed", description: "The App could not tell whether Stripe still accepts this key" },
};

export function verdictLabel(verdict: VerificationVerdict): LabelSpec {
  return VERDICT_LABELS[verdict];
}

/**
 * A key Stripe no longer accepts can do no more harm through the API, so its
 * incident drops to "low" (history still needs cleaning). A working live key
 * is proven usable against real money: at least "high". A working test key
 * keeps the engine's grade (it cannot move money), and "unknown" changes
 * nothing: an error proves nothing.
 */
export function severityForVerdict(base: Severity, verdict: VerificationVerdict, mode: Mode): Severity {
  switch (verdict) {
    case "inactive":
      return lowest(base, "low");
    case "active":
    case "active-restricted":
      return mode === "live" ? highest(base, "high") : base;
    case "unknown":
      return base;
  }
}

function highest(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b;
}

function lowest(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b;
}
