import { describe, expect, it } from "vitest";
import { openIncidents, renderReportJson, renderReportMarkdown, reportTitle } from "../../src/report/render.js";
import { incident, NOW, report } from "./fixtures.js";

const sample = report([
  incident({ repository: "octo/api", number: 3, severity: "high", kind: "restricted", redacted: "rk_live_…Zz99", openedAt: "2026-11-29T15:00:00Z", verification: "active-restricted" }),
  incident({ repository: "octo/shop", number: 12, openedAt: "2026-11-16T10:00:00Z", verification: "active", rotation: "pending" }),
  incident({ repository: "octo/web", number: 7, openedAt: "2026-11-30T08:00:00Z" }),
  incident({ repository: "octo/old", number: 1, state: "closed", openedAt: "2026-11-02T10:00:00Z", closedAt: "2026-11-25T10:00:00Z" }),
  incident({ repository: "octo/misc", number: 4, severity: undefined, redacted: undefined, openedAt: "2026-11-28T10:00:00Z" }),
]);

describe("the report", () => {
  it("lists open incidents most severe first, then oldest first", () => {
    expect(openIncidents(sample).map((item) => `${item.repository}#${item.number}`)).toEqual(["octo/shop#12", "octo/web#7", "octo/api#3", "octo/misc#4"]);
    expect(reportTitle(sample)).toBe("Stripe leak report: 4 open Stripe key leaks (2 critical)");
  });

  it("renders Markdown with a summary, a table, the chart and its numbers", () => {
    expect(renderReportMarkdown(sample, { now: NOW, weeks: 3 })).toBe(
      [
        "## Stripe leak report for octo",
        "",
        "**4 open incidents** in 4 of 5 repositories · updated 2026-11-30 12:00 UTC",
        "",
        "| Severity | Open | Oldest |",
        "|---|---:|---|",
        "| 🔴 critical | 2 | 14 days |",
        "| 🟠 high | 1 | today |",
        "| not labelled | 1 | 2 days |",
        "",
        "### Open incidents",
        "",
        "| Severity | Incident | Key | Age | Verification | Rotation |",
        "|---|---|---|---|---|---|",
        "| 🔴 critical | [octo/shop#12](https://github.com/octo/shop/issues/12) | `sk_live_…a1B2` | 14 days | active | pending |",
        "| 🔴 critical | [octo/web#7](https://github.com/octo/web/issues/7) | `sk_live_…a1B2` | today | not checked | none |",
        "| 🟠 high | [octo/api#3](https://github.com/octo/api/issues/3) | `rk_live_…Zz99` | today | active (restricted) | none |",
        "| not labelled | [octo/misc#4](https://github.com/octo/misc/issues/4) | not shown | 2 days | not checked | none |",
        "",
        "### Opened and closed per week",
        "",
        "```mermaid",
        "xychart-beta",
        '    title "Incidents opened (bars) and closed (line) per week"',
        '    x-axis ["Nov 16", "Nov 23", "Nov 30"]',
        '    y-axis "Incidents" 0 --> 2',
        "    bar [1, 2, 1]",
        "    line [0, 1, 0]",
        "```",
        "",
        "<details>",
        "<summary>The numbers</summary>",
        "",
        "| Week of | Opened | Closed |",
        "|---|---:|---:|",
        "| Nov 16 2026 | 1 | 0 |",
        "| Nov 23 2026 | 2 | 1 |",
        "| Nov 30 2026 | 1 | 0 |",
        "",
        "</details>",
        "",
        "<sub>Verification and rotation come from the incidents' `key: …` and `rotation: …` labels. Ages count whole days since the incident was opened. Produced by stripe-leak-guard; the keys themselves are never shown.</sub>",
        "",
      ].join("\n"),
    );
  });

  it("says when nothing is open, and when repositories could not be read", () => {
    const markdown = renderReportMarkdown(report([], { incomplete: ["octo/secret: its issues could not be listed (GitHub answered 403)"] }), { now: NOW, weeks: 1 });
    expect(markdown).toContain("No open incidents.");
    expect(markdown).toContain("> [!WARNING]\n> This report is incomplete: 1 repository could not be read (listed at the end).");
    expect(markdown).toContain("### Not covered\n\n- octo/secret: its issues could not be listed (GitHub answered 403)");
  });

  it("renders JSON with ages and weekly counts", () => {
    const json = JSON.parse(renderReportJson(sample, { now: NOW, weeks: 2 })) as Record<string, unknown>;
    expect(json).toMatchObject({ version: 1, installationId: 42, owner: "octo", generatedAt: "2026-11-30T12:00:00.000Z", repositories: 5, incomplete: [] });
    expect((json.open as { number: number; ageDays: number }[]).map((item) => [item.number, item.ageDays])).toEqual([[12, 14], [7, 0], [3, 0], [4, 2]]);
    expect(json.weeks).toEqual([
      { weekStart: "2026-11-23", opened: 2, closed: 1 },
      { weekStart: "2026-11-30", opened: 1, closed: 0 },
    ]);
  });
});
