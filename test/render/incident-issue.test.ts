import { describe, expect, it } from "vitest";
import { parseIncidentMarker, renderIncidentIssue, renderReopenComment, renderSightingComment } from "../../src/render/index.js";
import type { IncidentInput } from "../../src/render/index.js";
import { OTHER_SHA, SHA, makeFinding, repo } from "./fixtures.js";

function input(overrides: Partial<IncidentInput> = {}): IncidentInput {
  const finding = overrides.finding ?? makeFinding({ commit: { sha: SHA, author: "Dana Developer", date: "2026-11-28T09:41:07Z" } });
  return {
    repo,
    finding,
    location: { path: finding.path, line: finding.line, commitSha: SHA, ref: "main", pushedBy: "dana-dev" },
    foundBy: "push",
    mentions: ["@acme/oncall", "sec-lead"],
    ...overrides,
  };
}

describe("renderIncidentIssue", () => {
  it("titles the issue with the kind, mode and redacted key", () => {
    expect(renderIncidentIssue(input()).title).toBe("Leaked Stripe live secret key sk_live_…a1B2");
    expect(renderIncidentIssue(input({ finding: makeFinding({ kind: "webhook-secret", redacted: "whsec_…9fKe" }) })).title).toBe(
      "Leaked Stripe webhook signing secret whsec_…9fKe",
    );
  });

  it("keeps the title stable across locations, pushers and ways of finding", () => {
    const first = renderIncidentIssue(input());
    const later = renderIncidentIssue(
      input({ location: { path: "other/file.env", line: 99, commitSha: OTHER_SHA, pushedBy: "someone" }, foundBy: "history" }),
    );
    expect(later.title).toBe(first.title);
  });

  it("carries the hidden incident marker, which parses back to the fingerprint", () => {
    const finding = makeFinding();
    const { body } = renderIncidentIssue(input({ finding }));
    expect(body.startsWith("<!-- stripe-leak-guard:incident ")).toBe(true);
    expect(parseIncidentMarker(body)).toBe(finding.fingerprint);
  });

  it("shows the redacted key, kind, mode, severity and verification verdict", () => {
    const { body } = renderIncidentIssue(input({ verification: "active" }));
    expect(body).toContain("| **Key** | `sk_live_…a1B2` |");
    expect(body).toContain("Secret key (`sk_`)");
    expect(body).toMatch(/\| \*\*Mode\*\* \| Live/);
    expect(body).toContain("| **Severity** | **critical** |");
    expect(body).toMatch(/\| \*\*Verification\*\* \| \*\*Active\*\*/);
  });

  it("leaves out the verification row when the key was not checked, and never calls an unknown verdict inactive", () => {
    expect(renderIncidentIssue(input()).body).not.toContain("Verification");
    const unknown = renderIncidentIssue(input({ verification: "unknown" })).body;
    expect(unknown).toMatch(/Treat the key as active/);
    expect(unknown).not.toMatch(/\*\*Inactive\*\*/);
  });

  it("links the first location to its commit, file and line, with the path segments encoded", () => {
    const finding = makeFinding({ path: "deploy/prod env/.env", line: 3 });
    const { body } = renderIncidentIssue(input({ finding, location: { path: finding.path, line: 3, commitSha: SHA } }));
    expect(body).toContain(`(https://github.com/octo/shop/blob/${SHA}/deploy/prod%20env/.env#L3)`);
    expect(body).toContain(`(https://github.com/octo/shop/commit/${SHA})`);
  });

  it("says who pushed it, mentions the configured people, and how it was found", () => {
    const { body } = renderIncidentIssue(input({ foundBy: "pull-request", location: { path: "a.rb", line: 1, commitSha: SHA, pushedBy: "dana-dev", prNumber: 42 } }));
    expect(body).toContain("| **Pushed by** | @dana-dev |");
    expect(body).toContain("cc @acme/oncall @sec-lead");
    expect(body).toContain("a scan of pull request [#42](https://github.com/octo/shop/pull/42)");
    expect(body).toContain("by Dana Developer on 2026-11-28T09:41:07Z");
  });

  it("includes the runbook as a task list and the way to allow the key", () => {
    const { body } = renderIncidentIssue(input());
    expect(body).toContain("## Runbook");
    expect(body.match(/^- \[ \] /gm)).toHaveLength(8);
    expect(body).toContain("`allow:`");
  });

  it("labels the issue by kind, severity and mode after the configured labels", () => {
    expect(renderIncidentIssue(input({ extraLabels: ["stripe-leak"] })).labels).toEqual([
      "stripe-leak",
      "kind: secret-key",
      "severity: critical",
      "mode: live",
    ]);
  });

  it("does not let a hostile path or mention inject Markdown or ping anyone", () => {
    const finding = makeFinding({ path: "x`](http://evil)@octo/admins.rb" });
    const { body } = renderIncidentIssue(
      input({ finding, location: { path: finding.path, line: 1, commitSha: SHA }, mentions: ["not valid!"] }),
    );
    expect(body).toContain("cc `not valid!`");
    const span = "``x`](http://evil)@octo/admins.rb:1``";
    expect(body).toContain(`[${span}](`);
    // The only place the handle appears is inside that code span, where GitHub neither links nor mentions.
    expect(body.split("@octo/admins").length).toBe(body.split(span).length);
  });

  it("uses a test-mode runbook and a warning for test keys, and a note for publishable keys", () => {
    const test = renderIncidentIssue(input({ finding: makeFinding({ mode: "test", severity: "low" }) }));
    expect(test.title).toBe("Leaked Stripe test secret key sk_test_…a1B2");
    expect(test.body).toContain("> [!WARNING]");
    expect(test.body).toContain("https://dashboard.stripe.com/test/apikeys");
    const publishable = renderIncidentIssue(input({ finding: makeFinding({ kind: "publishable" }) }));
    expect(publishable.body).toContain("> [!NOTE]");
    expect(publishable.body).not.toContain("- [ ] ");
  });
});

describe("sighting and reopen comments", () => {
  const locations = [
    { path: "a/b c.rb", line: 4, commitSha: SHA, ref: "feature/x", pushedBy: "dana-dev" },
    { path: "z.env", line: 1, commitSha: OTHER_SHA, prNumber: 9 },
  ];

  it("lists every new location with permalinks", () => {
    const comment = renderSightingComment({ repo, locations });
    expect(comment).toContain("2 more places");
    expect(comment).toContain(`[\`a/b c.rb:4\`](https://github.com/octo/shop/blob/${SHA}/a/b%20c.rb#L4)`);
    expect(comment).toContain(`(https://github.com/octo/shop/commit/${OTHER_SHA})`);
    expect(comment).toContain("on `feature/x`");
    expect(comment).toContain("[#9](https://github.com/octo/shop/pull/9)");
    expect(comment).toMatch(/rolling it does/);
  });

  it("caps a very long list", () => {
    const many = Array.from({ length: 130 }, (_, i) => ({ path: `f${i}.rb`, line: 1, commitSha: SHA }));
    const comment = renderSightingComment({ repo, locations: many });
    expect(comment.match(/^- \[/gm)).toHaveLength(50);
    expect(comment).toContain("…and 80 more locations");
  });

  it("says plainly on reopen that the key is back and must be rolled even if the file was fixed", () => {
    const comment = renderReopenComment({ repo, locations });
    expect(comment).toMatch(/showed up again/);
    expect(comment).toMatch(/must be rolled even if the file\s+has been fixed/);
    expect(comment).toContain(`/blob/${SHA}/a/b%20c.rb#L4`);
  });
});
