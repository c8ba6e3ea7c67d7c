/** Report fixtures: incidents as the collector returns them, with fixed dates. */
import type { InstallationReport, ReportIncident } from "../../src/report/model.js";

export const NOW = new Date("2026-11-30T12:00:00Z");

export function incident(overrides: Partial<ReportIncident> & Pick<ReportIncident, "repository" | "number">): ReportIncident {
  return {
    url: `https://github.com/${overrides.repository}/issues/${overrides.number}`,
    state: "open",
    severity: "critical",
    kind: "secret",
    mode: "live",
    redacted: "sk_live_…a1B2",
    openedAt: "2026-11-20T09:00:00Z",
    ...overrides,
  };
}

export function report(incidents: ReportIncident[], overrides: Partial<InstallationReport> = {}): InstallationReport {
  return { installationId: 42, owner: "octo", repositories: 5, incidents, incomplete: [], ...overrides };
}
