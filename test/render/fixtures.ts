import type { Finding } from "../../src/scanner/index.js";
import type { Location, RepoView, SightedFinding } from "../../src/render/index.js";

export const repo: RepoView = { owner: "octo", repo: "shop", htmlUrl: "https://github.com/octo/shop" };

export const SHA = "0123456789abcdef0123456789abcdef01234567";
export const OTHER_SHA = "fedcba9876543210fedcba9876543210fedcba98";

/** A fixed-width hex fingerprint per label, so tests can tell findings apart. */
export function fingerprint(label: string): string {
  let hex = "";
  for (const char of label.padEnd(32, ".")) hex += char.charCodeAt(0).toString(16).padStart(2, "0").slice(-2);
  return hex.slice(0, 64).padEnd(64, "0");
}

const REDACTED_PREFIX: Record<Finding["kind"], (mode: Finding["mode"]) => string> = {
  secret: (mode) => `sk_${mode}_`,
  restricted: (mode) => `rk_${mode}_`,
  "org-secret": (mode) => `sk_org_${mode}_`,
  "webhook-secret": () => "whsec_",
  publishable: (mode) => `pk_${mode}_`,
};

const DEFAULT_SEVERITY: Record<Finding["kind"], Finding["severity"]> = {
  secret: "critical",
  restricted: "high",
  "org-secret": "critical",
  "webhook-secret": "high",
  publishable: "info",
};

/** A Finding built by hand: what the engine returns, minus the secret it keeps out of the object. */
export function makeFinding(overrides: Partial<Finding> = {}): Finding {
  const kind = overrides.kind ?? "secret";
  const mode = overrides.mode ?? (kind === "webhook-secret" ? "unknown" : "live");
  const tail = overrides.redacted ? "" : "a1B2";
  return {
    ruleId: `stripe-${kind}-${mode}`,
    path: "config/stripe.rb",
    line: 7,
    column: 11,
    endColumn: 118,
    kind,
    mode,
    severity: DEFAULT_SEVERITY[kind],
    redacted: `${REDACTED_PREFIX[kind](mode)}…${tail}`,
    fingerprint: fingerprint(`${kind}-${mode}-${overrides.path ?? ""}`),
    ...overrides,
  };
}

export function locationOf(finding: Finding, extra: Partial<Location> = {}): Location {
  return { path: finding.path, line: finding.line, commitSha: SHA, ...extra };
}

export function sighted(overrides: Partial<Finding> = {}, extra: Partial<Location> = {}): SightedFinding {
  const finding = makeFinding(overrides);
  return { finding, location: locationOf(finding, extra) };
}
