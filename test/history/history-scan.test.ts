import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runHistoryScan } from "../../src/history/run-history-scan.js";
import { oldestIntroductions } from "../../src/history/scan-clone.js";
import { scanHistoryAndReport } from "../../src/jobs/scan-history-repo.js";
import type { JobDeps, ScanHistoryRepoJob } from "../../src/jobs/types.js";
import { createInProcessLock } from "../../src/lock/keyed-lock.js";
import type { Finding } from "../../src/scanner/index.js";
import { FakeGitHub } from "../jobs/incidents-fake-github.js";
import { fakeKey } from "../helpers/fake-keys.js";
import { TEST_API, testOctokit } from "../helpers/octokit.js";
import { captureLog } from "../helpers/probot.js";
import { createGitFixture, type GitFixture } from "./git-fixture.js";

const PEPPER = "history-tests-pepper-0123456789";
let fixture: GitFixture;
let parent: string;
let owner: string;
let captured: ReturnType<typeof captureLog>;

function deps(): JobDeps {
  return { octokit: testOctokit(), log: captured.log, pepper: PEPPER, lock: createInProcessLock() };
}

function job(extra: Partial<ScanHistoryRepoJob> = {}): ScanHistoryRepoJob {
  return { installationId: 1, owner, repo: "shop", repoId: 77, requestId: "comment-1", ...extra };
}

function serveConfig404(): void {
  const path = encodeURIComponent(".github/stripe-leak-guard.yml");
  nock(TEST_API).get(`/repos/${owner}/shop/contents/${path}`).reply(404, { message: "Not Found" });
  nock(TEST_API).get(`/repos/${owner}/.github/contents/${path}`).reply(404, { message: "Not Found" });
}

beforeEach(() => {
  nock.disableNetConnect();
  fixture = createGitFixture();
  parent = mkdtempSync(join(tmpdir(), "slg-history-clones-"));
  owner = `hist${Math.floor(Math.random() * 1e6)}`;
  captured = captureLog();
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  fixture.remove();
  rmSync(parent, { recursive: true, force: true });
});

/** Key A added in c1, removed in c3, added again elsewhere in c5; key B only on a branch (c4). */
function plantHistory(keyA: string, keyB: string) {
  const c1 = fixture.commit("2024-01-01T10:00:00Z", { "config/app.env": `DEBUG=1\nSTRIPE_KEY=${keyA}\n` });
  const c2 = fixture.commit("2024-02-01T10:00:00Z", { "README.md": "# shop\n", "logo.png": Buffer.from([0x89, 0x50, 0, 0, 1, 2]) });
  const c3 = fixture.commit("2024-03-01T10:00:00Z", { "config/app.env": "DEBUG=1\nSTRIPE_KEY=${STRIPE_KEY}\n" });
  fixture.git("checkout", "-q", "-b", "feature");
  const c4 = fixture.commit("2024-04-01T10:00:00Z", { "lib/pay.js": `const stripe = require("stripe")("${keyB}");\n` });
  fixture.git("checkout", "-q", "main");
  const c5 = fixture.commit("2024-05-01T10:00:00Z", { "old/backup.env": `STRIPE_KEY=${keyA}\n` });
  return { c1, c2, c3, c4, c5 };
}

describe("full-history scan of a clone", () => {
  it("opens one incident per key naming the introducing commit, reports counts, and removes the clone", async () => {
    const keyA = fakeKey("sk", "live");
    const keyB = fakeKey("sk", "live");
    const { c1, c4 } = plantHistory(keyA, keyB);
    serveConfig404();
    const github = new FakeGitHub(owner, "shop").listIssues(2).listLabels().createLabel(6).createIssue(2).createComment(2);
    const request = github.seedIssue({ title: "Please scan the history", body: "Old keys?", byPerson: true });

    const result = await scanHistoryAndReport(job({ issueNumber: request.number, requestedBy: "alice" }), deps(), { cloneUrl: () => fixture.dir, anonymous: true, tmpDir: parent });

    expect(nock.pendingMocks()).toEqual([]);
    expect(result.commits).toBe(5);
    const incidents = github.issues.filter((issue) => issue.number !== request.number);
    expect(incidents).toHaveLength(2);
    const [issueA, issueB] = [incidents.find((i) => i.body.includes("config/app.env")), incidents.find((i) => i.body.includes("lib/pay.js"))];
    expect(issueA?.body).toContain(c1);
    expect(issueA?.body).toContain("git history");
    expect(issueA?.labels).toContain("found-by:history");
    expect(issueB?.body).toContain(c4);
    // The later copy of key A is a second location on the same incident, not a second incident.
    expect(issueA?.comments.join("\n")).toContain("old/backup.env");

    const report = request.comments.at(-1) ?? "";
    expect(report).toContain("**5 commits** scanned");
    expect(report).toContain("**2 keys** found, 2 incidents opened");
    expect(report).toContain(c1.slice(0, 7));
    expect(report).toContain(c4.slice(0, 7));
    expect(report).toContain("1 binary file change was not scanned");
    expect(report).toContain("@alice");

    for (const text of [...github.bodies, ...captured.lines]) {
      expect(text).not.toContain(keyA);
      expect(text).not.toContain(keyB);
    }
    expect(readdirSync(parent)).toEqual([]);
  });

  it("reports a clean history without a single incident call", async () => {
    fixture.commit("2024-01-01T10:00:00Z", { "a.txt": "hello\n" });
    fixture.commit("2024-01-02T10:00:00Z", { "a.txt": "hello again\n" });
    const github = new FakeGitHub(owner, "shop").createComment(1);
    const request = github.seedIssue({ body: "scan please", byPerson: true });
    const result = await scanHistoryAndReport(job({ issueNumber: request.number }), deps(), { cloneUrl: () => fixture.dir, anonymous: true, tmpDir: parent });
    expect(result.commits).toBe(2);
    expect(request.comments[0]).toContain("No Stripe key was ever added");
    expect(nock.pendingMocks()).toEqual([]);
    expect(readdirSync(parent)).toEqual([]);
  });

  it("removes the clone when the scan fails after cloning, and says so on the issue", async () => {
    const key = fakeKey("sk", "live");
    fixture.commit("2024-01-01T10:00:00Z", { "a.env": `K=${key}\n` });
    // Corrupt the blob: a local-path clone copies objects as they are, and git log -p then fails reading it.
    const blob = fixture.git("rev-parse", "HEAD:a.env");
    const objectPath = join(fixture.dir, ".git", "objects", blob.slice(0, 2), blob.slice(2));
    rmSync(objectPath, { force: true });
    writeFileSync(objectPath, "not a zlib stream");
    const github = new FakeGitHub(owner, "shop").createComment(1);
    const request = github.seedIssue({ body: "scan please", byPerson: true });

    await expect(scanHistoryAndReport(job({ issueNumber: request.number }), deps(), { cloneUrl: () => fixture.dir, anonymous: true, tmpDir: parent })).rejects.toThrow(
      /history scan failed/,
    );
    expect(readdirSync(parent)).toEqual([]);
    expect(request.comments[0]).toContain("could not finish");
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("removes the directory when the clone itself fails", async () => {
    const missing = join(parent, "no-such-repo");
    await expect(runHistoryScan(job(), deps(), { cloneUrl: () => missing, anonymous: true, tmpDir: parent })).rejects.toThrow(/git clone failed/);
    expect(readdirSync(parent)).toEqual([]);
    expect(existsSync(missing)).toBe(false);
  });
});

describe("oldestIntroductions", () => {
  const finding = (fingerprint: string, path: string, sha: string, date: string): Finding =>
    ({ fingerprint, path, line: 1, commit: { sha, author: "a", date } }) as unknown as Finding;

  it("keeps the oldest commit per key and path, the older of equal dates being the later in log order", () => {
    const found = [
      finding("k1", "a", "c3", "2024-03-01T00:00:00Z"),
      finding("k1", "b", "c2", "2024-02-01T00:00:00Z"),
      finding("k1", "a", "c1b", "2024-01-01T00:00:00Z"),
      finding("k1", "a", "c1a", "2024-01-01T00:00:00Z"),
      finding("k2", "c", "c9", "2024-09-01T00:00:00Z"),
    ];
    const result = oldestIntroductions(found);
    expect(result.get("k1")?.map((f) => [f.path, f.commit?.sha])).toEqual([
      ["a", "c1a"],
      ["b", "c2"],
    ]);
    expect(result.get("k2")?.map((f) => f.commit?.sha)).toEqual(["c9"]);
  });
});
