import type { Finding, KeyKind, Mode, Severity } from "../scanner/index.js";
import { SEVERITIES } from "../scanner/index.js";

/*
 * Incident labels, named "<facet>: <value>" so they sort together in
 * GitHub's label picker and can be filtered on (label:"severity: critical").
 * The App creates a missing label from labelDefinition() before using it.
 */

export interface LabelDefinition {
  name: string;
  /** Six hex digits, no "#", as the GitHub labels API wants. */
  color: string;
  /** At most 100 characters (GitHub's limit). */
  description: string;
}

const KIND_LABEL: Record<KeyKind, string> = {
  secret: "kind: secret-key",
  restricted: "kind: restricted-key",
  "org-secret": "kind: org-secret-key",
  "webhook-secret": "kind: webhook-secret",
  publishable: "kind: publishable-key",
};

const KIND_DESCRIPTION: Record<KeyKind, string> = {
  secret: "A Stripe secret key (sk_) leaked into this repository",
  restricted: "A Stripe restricted key (rk_) leaked into this repository",
  "org-secret": "A Stripe organization key (sk_org_) leaked into this repository",
  "webhook-secret": "A Stripe webhook signing secret (whsec_) leaked into this repository",
  publishable: "A Stripe publishable key (pk_); public by design, informational",
};

const SEVERITY_COLOR: Record<Severity, string> = {
  critical: "b60205",
  high: "d93f0b",
  medium: "fbca04",
  low: "fef2c0",
  info: "c5def5",
};

const SEVERITY_DESCRIPTION: Record<Severity, string> = {
  critical: "Leaked Stripe credential that can move money: roll it now",
  high: "Leaked Stripe credential: roll it today",
  medium: "Leaked Stripe credential with limited reach: roll it",
  low: "Stripe credential with little reach, e.g. a test-mode key",
  info: "Informational Stripe finding, e.g. a publishable key",
};

type KnownMode = Exclude<Mode, "unknown">;

const MODE_LABEL: Record<KnownMode, LabelDefinition> = {
  live: { name: "mode: live", color: "e99695", description: "The leaked Stripe key works in live mode (real money)" },
  test: { name: "mode: test", color: "bfdadc", description: "The leaked Stripe key works in test mode or a sandbox" },
};

/** The label repo configs add by default (incidents.labels). */
export const INCIDENT_LABEL = "stripe-leak";

export function kindLabel(kind: KeyKind): string {
  return KIND_LABEL[kind];
}

export function severityLabel(severity: Severity): string {
  return `severity: ${severity}`;
}

/** Unknown mode (webhook secrets) gets no mode label rather than a guess. */
export function modeLabel(mode: Mode): string | undefined {
  return mode === "unknown" ? undefined : MODE_LABEL[mode].name;
}

/** Labels for an incident: configured ones first, then kind, severity and mode; no duplicates. */
export function incidentLabels(finding: Pick<Finding, "kind" | "mode" | "severity">, extra: readonly string[] = []): string[] {
  const own = [kindLabel(finding.kind), severityLabel(finding.severity), modeLabel(finding.mode)];
  return [...new Set([...extra, ...own].filter((name): name is string => Boolean(name)))];
}

/** Every label this module can produce, for an App that creates them up front. */
export const ALL_LABELS: readonly LabelDefinition[] = [
  { name: INCIDENT_LABEL, color: "d73a4a", description: "Opened by stripe-leak-guard: a Stripe key leaked into this repository" },
  ...(Object.keys(KIND_LABEL) as KeyKind[]).map((kind) => ({ name: KIND_LABEL[kind], color: "5319e7", description: KIND_DESCRIPTION[kind] })),
  ...SEVERITIES.map((severity) => ({
    name: severityLabel(severity),
    color: SEVERITY_COLOR[severity],
    description: SEVERITY_DESCRIPTION[severity],
  })),
  MODE_LABEL.live,
  MODE_LABEL.test,
];

/** Colour and description for a label the App must create; labels from repo config get a neutral default. */
export function labelDefinition(name: string): LabelDefinition {
  const known = ALL_LABELS.find((label) => label.name.toLowerCase() === name.toLowerCase());
  return known ? { ...known, name } : { name, color: "ededed", description: "Added to Stripe leak incidents by stripe-leak-guard" };
}
