/**
 * The report issue in the owner's `.github` repository, against nock:
 * created once and pinned, then edited in place; debounced; never published
 * to a public repository; incomplete rather than short when a repository
 * cannot be read; and the keys themselves never in it.
 */
import { Writable } from "node:stream";
import nock from "nock";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generatedMarker, REPORT_LABEL } from "../../src/github/report-issue.js";
import { clearLabelCache } from "../../src/github/labels.js";
import { publishReport } from "../../src/jobs/report-publish.js";
import type { JobDeps, PublishReportJob } from "../../src/jobs/types.js";
import { createInProcessLock } from "../../src/lock/keyed-lock.js";
import { RetryLaterError } from "../../src/queue/errors.js";
import { REPORT_MARKER } from "../../src/report/render.js";
import { testOctokit } from "../helpers/octokit.js";
import { incidentIssueJson, leak } from "../alerts/fixtures.js";

const API = "https://api.github.com";
const NOW = new Date("2026-11-30T12:00:00Z");
const lines: string[] = [];
let deps: JobDeps;
const job: PublishReportJob = { installationId: 42, owner: "octo", repo: ".github", notBefore: NOW.getTime() - 60_000 };
const { key, finding } = leak();

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
  lines.length = 0;
  clearLabelCache();
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  deps = { octokit: testOctokit(), log: pino({ level: "trace" }, stream), pepper: "p", lock: createInProcessLock() };
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
  expect(lines.join("\n")).not.toContain(key);
});

function dotGithub(visibility: "private" | "public" | "internal" = "private") {
  return nock(API).get("/repos/octo/.github").reply(200, { name: ".github", private: visibility !== "public", visibility });
}

function reportIssues(issues: unknown[]) {
  return nock(API).get("/repos/octo/.github/issues").query({ state: "all", labels: REPORT_LABEL.name, per_page: "100" }).reply(200, issues);
}

function installation() {
  const shop = incidentIssueJson(finding, ["key: active"]);
  nock(API)
    .get("/installation/repositories")
    .query({ per_page: "100" })
    .reply(200, {
      total_count: 3,
      repositories: [
        { id: 1, name: "shop", owner: { login: "octo" }, html_url: "https://github.com/octo/shop", private: true, has_issues: true },
        { id: 2, name: "broken", owner: { login: "octo" }, html_url: "https://github.com/octo/broken", private: true, has_issues: true },
        { id: 3, name: "wiki", owner: { login: "octo" }, html_url: "https://github.com/octo/wiki", private: false, has_issues: false },
      ],
    });
  nock(API)
    .get("/repos/octo/shop/issues")
    .query({ state: "all", labels: "stripe-leak-guard", per_page: "100" })
    .reply(200, [
      { ...shop, created_at: "2026-11-23T10:00:00Z", closed_at: null },
      // A person's copy of the marker, and a pull request: neither counts.
      { ...shop, number: 13, user: { type: "User", login: "mallory" }, created_at: "2026-11-24T10:00:00Z", closed_at: null },
      { ...shop, number: 14, pull_request: {}, created_at: "2026-11-24T10:00:00Z", closed_at: null },
    ]);
  nock(API).get("/repos/octo/broken/issues").query(true).reply(403, { message: "Resource not accessible by integration" });
}

describe("publishing the report issue", () => {
  it("creates it once in a private .github repository and pins it", async () => {
    dotGithub();
    reportIssues([]);
    installation();
    nock(API).get("/repos/octo/.github/labels").query(true).reply(200, []);
    nock(API).post("/repos/octo/.github/labels", (body: { name: string }) => body.name === REPORT_LABEL.name).reply(201, {});
    let created: { title: string; body: string; labels: string[] } | undefined;
    nock(API)
      .post("/repos/octo/.github/issues", (body: { title: string; body: string; labels: string[] }) => {
        created = body;
        return true;
      })
      .reply(201, { number: 5, node_id: "I_kwDOreport" });
    let pinned: unknown;
    nock(API)
      .post("/graphql", (body: { query: string; variables: unknown }) => {
        pinned = body;
        return body.query.includes("pinIssue");
      })
      .reply(200, { data: { pinIssue: { issue: { id: "I_kwDOreport" } } } });

    expect(await publishReport(job, deps, { now: () => NOW })).toBe("created");
    expect(pinned).toMatchObject({ variables: { issueId: "I_kwDOreport" } });
    expect(created?.title).toBe("Stripe leak report: 1 open Stripe key leak (1 critical)");
    expect(created?.labels).toEqual([REPORT_LABEL.name]);
    const body = created?.body ?? "";
    expect(body.startsWith(`${REPORT_MARKER}\n${generatedMarker(NOW)}\n`)).toBe(true);
    expect(body).toContain(`| 🔴 critical | [octo/shop#12](https://github.com/octo/shop/issues/12) | \`${finding.redacted}\` | 7 days | active | none |`);
    expect(body).toContain("**1 open incident** in 1 of 2 repositories");
    expect(body).toContain("- octo/broken: its issues could not be listed (GitHub answered 403)");
    expect(body).toContain("xychart-beta");
    expect(body).not.toContain(key);
  });

  it("edits the existing issue in place, and says when pinning was refused only on creation", async () => {
    dotGithub("internal");
    reportIssues([
      { number: 5, node_id: "I_x", state: "open", title: "old", body: `${REPORT_MARKER}\n${generatedMarker(new Date(job.notBefore - 1))}\n\nold`, user: { type: "Bot" } },
      { number: 6, node_id: "I_y", state: "open", title: "copy", body: `${REPORT_MARKER}\n`, user: { type: "User" } },
    ]);
    installation();
    let update: { title: string; body: string } | undefined;
    nock(API)
      .patch("/repos/octo/.github/issues/5", (body: { title: string; body: string }) => {
        update = body;
        return true;
      })
      .reply(200, {});
    expect(await publishReport(job, deps, { now: () => NOW })).toBe("updated");
    expect(update?.body).toContain(generatedMarker(NOW));
  });

  it("does nothing when a later refresh already covered the change (debounce)", async () => {
    dotGithub();
    reportIssues([{ number: 5, node_id: "I_x", state: "open", title: "t", body: `${REPORT_MARKER}\n${generatedMarker(new Date(job.notBefore + 1000))}\n`, user: { type: "Bot" } }]);
    expect(await publishReport(job, deps, { now: () => NOW })).toBe("covered");
  });

  it("waits for the end of its window before reading anything", async () => {
    const early = { ...job, notBefore: NOW.getTime() + 30_000 };
    const error = await publishReport(early, deps, { now: () => NOW }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).retryAfterMs).toBe(30_000);
  });

  it("never publishes to a public .github repository, or one the App cannot see", async () => {
    dotGithub("public");
    expect(await publishReport(job, deps, { now: () => NOW })).toBe("not-published");
    expect(lines.join("\n")).toContain("octo/.github is public");
    nock(API).get("/repos/octo/.github").reply(404, { message: "Not Found" });
    expect(await publishReport(job, deps, { now: () => NOW })).toBe("not-published");
  });

  it("keeps the new issue when GitHub refuses to pin it (three are pinned already)", async () => {
    dotGithub();
    reportIssues([]);
    installation();
    nock(API).get("/repos/octo/.github/labels").query(true).reply(200, [{ name: REPORT_LABEL.name }]);
    nock(API).post("/repos/octo/.github/issues").reply(201, { number: 5, node_id: "I_z" });
    nock(API).post("/graphql").reply(200, { data: null, errors: [{ message: "Repository already has 3 pinned issues" }] });
    expect(await publishReport(job, deps, { now: () => NOW })).toBe("created");
    expect(lines.some((line) => line.includes("could not be pinned") && line.includes("3 pinned issues"))).toBe(true);
  });
});
