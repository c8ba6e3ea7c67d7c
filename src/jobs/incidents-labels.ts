/*
 * The labels an incident issue carries. One is fixed and always added,
 * whatever the repo config says: it is how the App lists its own incidents
 * again (the search API lags; a label filter on the issue list does not).
 */
import type { LabelSpec } from "../github/labels.js";

export const INCIDENT_TRACKING_LABEL: LabelSpec = {
  name: "stripe-leak-guard",
  color: "5319e7",
  description: "Incident opened by stripe-leak-guard; keep it so the App finds this issue again",
};

const CONFIGURED: Omit<LabelSpec, "name"> = {
  color: "b60205",
  description: "A Stripe key leaked into this repository",
};

/** The fixed label first, then the renderer's kind/severity labels, then the config's, without duplicates. */
export function incidentLabelSpecs(rendered: readonly string[], configured: readonly string[], describe: (name: string) => LabelSpec | undefined): LabelSpec[] {
  const specs: LabelSpec[] = [INCIDENT_TRACKING_LABEL];
  const seen = new Set([INCIDENT_TRACKING_LABEL.name.toLowerCase()]);
  for (const name of [...rendered, ...configured]) {
    const key = name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    specs.push(describe(name) ?? { name, ...CONFIGURED });
  }
  return specs;
}
