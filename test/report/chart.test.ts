import { describe, expect, it } from "vitest";
import { renderWeeklyChart, weekLabel, weeklyCounts } from "../../src/report/chart.js";
import { NOW } from "./fixtures.js";

describe("the weekly chart", () => {
  it("counts incidents opened and closed per Monday-to-Sunday week (UTC), oldest week first", () => {
    // NOW is Monday 2026-11-30 12:00 UTC.
    const counts = weeklyCounts(
      [
        { openedAt: "2026-11-30T00:00:00Z" },
        { openedAt: "2026-11-29T23:59:59Z", closedAt: "2026-11-30T08:00:00Z" },
        { openedAt: "2026-11-23T00:00:00Z", closedAt: "2026-11-24T00:00:00Z" },
        { openedAt: "2026-09-01T00:00:00Z" },
        { openedAt: "not a date" },
      ],
      NOW,
      3,
    );
    expect(counts).toEqual([
      { weekStart: "2026-11-16", opened: 0, closed: 0 },
      { weekStart: "2026-11-23", opened: 2, closed: 1 },
      { weekStart: "2026-11-30", opened: 1, closed: 1 },
    ]);
  });

  it("draws a Mermaid xychart-beta block GitHub renders: bars opened, a line closed", () => {
    const chart = renderWeeklyChart([
      { weekStart: "2026-11-23", opened: 2, closed: 1 },
      { weekStart: "2026-11-30", opened: 1, closed: 3 },
    ]);
    expect(chart).toBe(
      [
        "```mermaid",
        "xychart-beta",
        '    title "Incidents opened (bars) and closed (line) per week"',
        '    x-axis ["Nov 23", "Nov 30"]',
        '    y-axis "Incidents" 0 --> 3',
        "    bar [2, 1]",
        "    line [1, 3]",
        "```",
      ].join("\n"),
    );
  });

  it("keeps a positive axis when there is nothing to count, and labels weeks without the locale", () => {
    expect(renderWeeklyChart([{ weekStart: "2027-01-04", opened: 0, closed: 0 }])).toContain('y-axis "Incidents" 0 --> 1');
    expect(weekLabel("2027-01-04")).toBe("Jan 04");
  });
});
