import { SEVERITIES } from "../scanner/index.js";
import { describeKey } from "./guidance.js";
import { blobUrl, issueUrl } from "./links.js";
import { cell, code, plural, text } from "./markdown.js";
import type { RepoView, SightedFinding } from "./types.js";

/** Most severe first, then by file and line, so the table reads like a triage list. */
export function sortFindings(findings: readonly SightedFinding[]): SightedFinding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITIES.indexOf(b.finding.severity) - SEVERITIES.indexOf(a.finding.severity) ||
      a.location.path.localeCompare(b.location.path) ||
      a.location.line - b.location.line,
  );
}

export const MAX_TABLE_ROWS = 50;

/**
 * A Markdown table of findings, capped at `maxRows` with an "and N more" line.
 * The incident column appears only when an incidents map is given.
 */
export function renderFindingsTable(
  repo: RepoView,
  findings: readonly SightedFinding[],
  options: { incidents?: ReadonlyMap<string, number>; maxRows?: number } = {},
): string {
  const maxRows = options.maxRows ?? MAX_TABLE_ROWS;
  const withIncidents = options.incidents !== undefined;
  const header = ["Severity", "Key", "Kind", "Location", ...(withIncidents ? ["Incident"] : [])];
  const sorted = sortFindings(findings);
  const rows = sorted.slice(0, maxRows).map(({ finding, location, allowedReason }) => {
    const key = allowedReason !== undefined ? `${code(finding.redacted)} (allowed: ${text(allowedReason)})` : code(finding.redacted);
    const where = `[${code(`${location.path}:${location.line}`)}](${blobUrl(repo, location.commitSha, location.path, location.line)})`;
    const cells = [`**${finding.severity}**`, key, describeKey(finding), where];
    if (withIncidents) {
      const issue = options.incidents?.get(finding.fingerprint);
      cells.push(issue !== undefined ? `[#${issue}](${issueUrl(repo, issue)})` : "—");
    }
    return `| ${cells.map(cell).join(" | ")} |`;
  });
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows];
  const hidden = sorted.length - rows.length;
  if (hidden > 0) lines.push("", `…and ${plural(hidden, "more finding")} not shown.`);
  return lines.join("\n");
}
