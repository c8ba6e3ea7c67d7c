/*
 * The report as Markdown (the CLI's default and the pinned issue's body) and
 * as JSON. Pure: "now" is passed in, so ages and the chart are reproducible.
 * Only values of a known shape reach the output (see facts.ts), and
 * repository names are GitHub's own ([A-Za-z0-9._-]).
 */
import { text } from "../render/markdown.js";
import { SEVERITIES, type Severity } from "../scanner/types.js";
import { renderWeeklyChart, weekLabel, weeklyCounts, type WeekCount } from "./chart.js";
import type { InstallationReport, ReportIncident } from "./model.js";

export const REPORT_MARKER = "<!-- stripe-leak-guard:report -->";
/** Rows shown in the issue: GitHub caps a body at 65,536 characters. */
export const MAX_ROWS = 200;

const DAY_MS = 86_400_000;
const SEVERITY_ORDER = [...SEVERITIES].reverse();
const SEVERITY_MARK: Record<Severity, string> = { critical: "🔴", high: "🟠", medium: "🟡", low: "⚪", info: "🔵" };
const VERIFICATION_WORDS = { active: "active", "active-restricted": "active (restricted)", inactive: "inactive", unknown: "unknown" } as const;

export interface RenderOptions {
  now: Date;
  weeks?: number;
}

function rank(incident: ReportIncident): number {
  return incident.severity ? SEVERITY_ORDER.indexOf(incident.severity) : SEVERITY_ORDER.length;
}

/** Most severe first, then oldest first. */
export function openIncidents(report: InstallationReport): ReportIncident[] {
  return report.incidents
    .filter((incident) => incident.state === "open")
    .sort((a, b) => rank(a) - rank(b) || a.openedAt.localeCompare(b.openedAt) || a.repository.localeCompare(b.repository) || a.number - b.number);
}

export function ageDays(openedAt: string, now: Date): number {
  const opened = Date.parse(openedAt);
  return Number.isNaN(opened) ? 0 : Math.max(0, Math.floor((now.getTime() - opened) / DAY_MS));
}

function age(days: number): string {
  return days === 0 ? "today" : days === 1 ? "1 day" : `${days} days`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function severityCell(severity: Severity | undefined): string {
  return severity ? `${SEVERITY_MARK[severity]} ${severity}` : "not labelled";
}

function formatTime(now: Date): string {
  return `${now.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function reportTitle(report: InstallationReport): string {
  const open = openIncidents(report);
  const critical = open.filter((incident) => incident.severity === "critical").length;
  const counted = `${plural(open.length, "open Stripe key leak")}${critical > 0 ? ` (${critical} critical)` : ""}`;
  return `Stripe leak report: ${counted}`;
}

export function renderReportMarkdown(report: InstallationReport, options: RenderOptions): string {
  const open = openIncidents(report);
  const affected = new Set(open.map((incident) => incident.repository)).size;
  const lines: string[] = [
    `## Stripe leak report for ${text(report.owner)}`,
    "",
    `**${plural(open.length, "open incident")}** in ${affected} of ${plural(report.repositories, "repository", "repositories")} · updated ${formatTime(options.now)}`,
    "",
  ];

  if (report.incomplete.length > 0) {
    lines.push("> [!WARNING]", `> This report is incomplete: ${plural(report.incomplete.length, "repository", "repositories")} could not be read (listed at the end).`, "");
  }

  if (open.length === 0) {
    lines.push("No open incidents. :tada:", "");
  } else {
    lines.push("| Severity | Open | Oldest |", "|---|---:|---|");
    for (const severity of [...SEVERITY_ORDER, undefined]) {
      const group = open.filter((incident) => incident.severity === severity);
      if (group.length === 0) continue;
      const oldest = Math.max(...group.map((incident) => ageDays(incident.openedAt, options.now)));
      lines.push(`| ${severityCell(severity)} | ${group.length} | ${age(oldest)} |`);
    }
    lines.push("", "### Open incidents", "", "| Severity | Incident | Key | Age | Verification | Rotation |", "|---|---|---|---|---|---|");
    for (const incident of open.slice(0, MAX_ROWS)) {
      lines.push(
        `| ${severityCell(incident.severity)} | [${incident.repository}#${incident.number}](${incident.url}) | ${incident.redacted ? `\`${incident.redacted}\`` : "not shown"} | ` +
          `${age(ageDays(incident.openedAt, options.now))} | ${incident.verification ? VERIFICATION_WORDS[incident.verification] : "not checked"} | ${incident.rotation ?? "none"} |`,
      );
    }
    if (open.length > MAX_ROWS) lines.push("", `…and ${open.length - MAX_ROWS} more (\`stripe-leak-guard report --format json\` lists them all).`);
    lines.push("");
  }

  const counts = weeklyCounts(report.incidents, options.now, options.weeks);
  lines.push("### Opened and closed per week", "", renderWeeklyChart(counts), "", weeklyTable(counts), "");

  if (report.incomplete.length > 0) {
    lines.push("### Not covered", "", ...report.incomplete.map((line) => `- ${text(line)}`), "");
  }
  lines.push(
    "<sub>Verification and rotation come from the incidents' `key: …` and `rotation: …` labels. " +
      "Ages count whole days since the incident was opened. Produced by stripe-leak-guard; the keys themselves are never shown.</sub>",
    "",
  );
  return lines.join("\n");
}

/** The chart's numbers, folded away: for screen readers and for GitHub Enterprise versions without Mermaid charts. */
function weeklyTable(counts: readonly WeekCount[]): string {
  return [
    "<details>",
    "<summary>The numbers</summary>",
    "",
    "| Week of | Opened | Closed |",
    "|---|---:|---:|",
    ...counts.map((week) => `| ${weekLabel(week.weekStart)} ${week.weekStart.slice(0, 4)} | ${week.opened} | ${week.closed} |`),
    "",
    "</details>",
  ].join("\n");
}

export function renderReportJson(report: InstallationReport, options: RenderOptions): string {
  const open = openIncidents(report).map((incident) => ({ ...incident, ageDays: ageDays(incident.openedAt, options.now) }));
  return `${JSON.stringify(
    {
      version: 1,
      installationId: report.installationId,
      owner: report.owner,
      generatedAt: options.now.toISOString(),
      repositories: report.repositories,
      open,
      weeks: weeklyCounts(report.incidents, options.now, options.weeks),
      incomplete: report.incomplete,
    },
    null,
    2,
  )}\n`;
}
