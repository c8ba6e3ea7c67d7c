/*
 * Incidents opened and closed per week, as a Mermaid `xychart-beta` block,
 * which GitHub renders natively in Markdown (issues included): bars for
 * opened, a line for closed. Weeks start on Monday, in UTC, and the labels
 * are built by hand so the output never depends on the machine's locale.
 */
import type { ReportIncident } from "./model.js";

export interface WeekCount {
  /** Monday of the week, "YYYY-MM-DD" (UTC). */
  weekStart: string;
  opened: number;
  closed: number;
}

const DAY_MS = 86_400_000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function mondayOf(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday.
  return (day - ((day + 3) % 7)) * DAY_MS;
}

/** The last `weeks` weeks up to and including the one `now` falls in, oldest first. */
export function weeklyCounts(incidents: readonly Pick<ReportIncident, "openedAt" | "closedAt">[], now: Date, weeks = 12): WeekCount[] {
  const current = mondayOf(now.getTime());
  const starts = Array.from({ length: weeks }, (_, index) => current - (weeks - 1 - index) * 7 * DAY_MS);
  const counts = starts.map((start) => ({ weekStart: new Date(start).toISOString().slice(0, 10), opened: 0, closed: 0 }));
  const slot = (iso: string | undefined) => {
    if (!iso) return undefined;
    const time = Date.parse(iso);
    if (Number.isNaN(time)) return undefined;
    const index = (mondayOf(time) - (starts[0] ?? current)) / (7 * DAY_MS);
    return counts[index];
  };
  for (const incident of incidents) {
    const opened = slot(incident.openedAt);
    if (opened) opened.opened++;
    const closed = slot(incident.closedAt);
    if (closed) closed.closed++;
  }
  return counts;
}

export function weekLabel(weekStart: string): string {
  const [, month, day] = weekStart.split("-").map(Number);
  return `${MONTHS[(month ?? 1) - 1]} ${String(day ?? 1).padStart(2, "0")}`;
}

export function renderWeeklyChart(counts: readonly WeekCount[]): string {
  const top = Math.max(1, ...counts.flatMap((week) => [week.opened, week.closed]));
  return [
    "```mermaid",
    "xychart-beta",
    '    title "Incidents opened (bars) and closed (line) per week"',
    `    x-axis [${counts.map((week) => `"${weekLabel(week.weekStart)}"`).join(", ")}]`,
    `    y-axis "Incidents" 0 --> ${top}`,
    `    bar [${counts.map((week) => week.opened).join(", ")}]`,
    `    line [${counts.map((week) => week.closed).join(", ")}]`,
    "```",
  ].join("\n");
}
