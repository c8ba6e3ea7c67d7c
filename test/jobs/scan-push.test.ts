/** scanPush's edge cases, called directly with an installation Octokit against the nock GitHub. */
import nock from "nock";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scanPush } from "../../src/jobs/scan-push.js";
import type { JobDeps, PushJob } from "../../src/jobs/types.js";
import { createInProcessLock } from "../../src/lock/keyed-lock.js";
import { fakeKey } from "../helpers/fake-keys.js";
import { testOctokit } from "../helpers/octokit.js";
import { TEST_PEPPER } from "../helpers/probot.js";
import { FakeGitHub, fakeSha } from "../fixtures/github/fake-github.js";

function deps(): JobDeps {
  return { octokit: testOctokit(), log: pino({ level: "silent" }), pepper: TEST_PEPPER, lock: createInProcessLock() };
}

function job(fake: FakeGitHub, over: Partial<PushJob>): PushJob {
  return {
    installationId: fake.installationId,
    owner: fake.owner,
    repo: fake.repo,
    repoId: fake.repoId,
    htmlUrl: fake.htmlUrl,
    deliveryId: "d",
    ref: "refs/heads/feature",
    before: fakeSha("before"),
    after: fakeSha("after"),
    created: false,
    forced: false,
    defaultBranch: "main",
    pusher: "octocat",
    ...over,
  };
}

describe("scanPush", () => {
  let fake: FakeGitHub;

  beforeEach(() => {
    nock.disableNetConnect();
    fake = new FakeGitHub();
  });

  afterEach(() => {
    expect(nock.pendingMocks()).toStrictEqual([]);
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("scans only the head commit, and says incomplete, when GitHub can compare neither range", async () => {
    const after = fake.addCommit("lonely", [{ filename: "a.ts", content: "export const a = 1;\n" }]);
    const before = fakeSha("gone");
    fake.setComparison(before, after, "404");
    fake.setComparison("main", after, "404");
    fake.serve("compare", "commit");

    const result = await scanPush(job(fake, { before, after, forced: true }), deps());

    expect(result.complete).toBe(false);
    expect(result.notCovered).toStrictEqual([`GitHub could not compare ${before.slice(0, 12)}...${after.slice(0, 12)}; only the head commit was scanned`]);
    expect(fake.repoCalls().at(-1)).toBe(`GET /repos/octo/shop/commits/${after}`);
  });

  it("still reads the job's rescan commits when GitHub can compare neither range", async () => {
    const key = fakeKey("sk", "live");
    const leaked = fake.addCommit("leaked", [{ filename: "a.ts", content: `const k = "${key}";\n` }]);
    const after = fake.addCommit("fixed", [{ filename: "a.ts", content: "const k = process.env.K;\n", status: "modified" }], [leaked]);
    const before = fakeSha("gone");
    fake.setComparison(before, after, "404");
    fake.setComparison("main", after, "404");
    fake.serve("compare", "commit", "contents").allow("issues", "issue-comments", "labels");

    const result = await scanPush(job(fake, { before, after, forced: true, rescanCommits: [leaked] }), deps());

    expect(result.notCovered).toStrictEqual([
      `GitHub could not compare ${before.slice(0, 12)}...${after.slice(0, 12)}; only the head commit and 1 earlier commit(s) of the push were scanned`,
    ]);
    expect(result.findings.map((item) => `${item.location.path}:${item.location.line}@${item.location.commitSha}`)).toStrictEqual([`a.ts:1@${leaked}`]);
    expect(fake.repoCalls().filter((call) => call.includes("/commits/"))).toStrictEqual([`GET /repos/octo/shop/commits/${leaked}`, `GET /repos/octo/shop/commits/${after}`]);
  });

  it("names a file it could not fetch instead of calling the push clean", async () => {
    const after = fake.addCommit("c", [{ filename: "big/data.sql", content: "insert into t values (1);\n", patch: null }]);
    fake.setComparison(fakeSha("before"), after, [after]);
    fake.failOnce("GET", /\/git\/blobs\//, 502);
    fake.serve("compare", "blob", "contents");

    const result = await scanPush(job(fake, { after }), deps());

    expect(result).toMatchObject({ status: "scanned", complete: false, findings: [] });
    expect(result.notCovered).toStrictEqual(["big/data.sql: could not fetch its content (GitHub answered 502)"]);
  });

  it("names a commit whose own file list GitHub cuts at 3,000", async () => {
    const files = Array.from({ length: 3000 }, (_, index) => ({ filename: `gen/f${index}.txt`, content: `${index}\n` }));
    const after = fake.addCommit("huge", files);
    fake.setComparison(fakeSha("before"), after, [after]);
    fake.serve("compare", "commit", "contents");

    const result = await scanPush(job(fake, { after }), deps());

    expect(result.complete).toBe(false);
    expect(result.notCovered).toStrictEqual([`commit ${after.slice(0, 12)} changes 3000 files or more; GitHub lists no more, so any beyond were not scanned`]);
  });

  it("does not count a gap in an ignored path", async () => {
    const after = fake.addCommit("c", [{ filename: "vendor/huge.js", content: "x\n", patch: null }]);
    fake.setComparison(fakeSha("before"), after, [after]);
    fake.failOnce("GET", /\/git\/blobs\//, 502);
    fake.setConfig("paths:\n  ignore: ['vendor/**']\n");
    fake.serve("compare", "blob", "contents");

    const result = await scanPush(job(fake, { after }), deps());

    expect(result.complete).toBe(true);
  });

  it("reads the job's rescan commits that compare lists as single-parent ones, and names those the cap left out", async () => {
    const key = fakeKey("sk", "live");
    const before = fakeSha("before");
    const leaked = fake.addCommit("leaked", [{ filename: "a.ts", content: `const k = "${key}";\n` }], [before]);
    const merge = fake.addCommit("merge", [{ filename: "b.ts", content: "b\n" }], [leaked, fakeSha("side")]);
    const after = fake.addCommit("fixed", [{ filename: "a.ts", content: "const k = process.env.K;\n", status: "modified" }], [merge]);
    fake.setComparison(before, after, [leaked, merge, after]);
    fake.serve("compare", "commit", "contents").allow("issues", "issue-comments", "labels");
    const outside = fakeSha("not-in-range");

    const result = await scanPush(job(fake, { before, after, rescanCommits: [outside, leaked, merge], rescanSkipped: 7 }), deps());

    expect(result.findings.map((item) => `${item.location.path}:${item.location.line}@${item.location.commitSha}`)).toStrictEqual([`a.ts:1@${leaked}`]);
    expect(fake.repoCalls().filter((call) => call.includes("/commits/"))).toStrictEqual([`GET /repos/octo/shop/commits/${leaked}`]);
    expect(result.complete).toBe(false);
    expect(result.notCovered).toStrictEqual([
      "7 older commit(s) of this push changed files that later commits changed again and were not read one by one (limit 100); a key they added and a later commit removed would be missed",
    ]);
    expect(fake.incidents()).toHaveLength(1);
  });

  it("scans each commit of a repository's first push", async () => {
    const key = fakeKey("sk", "live");
    const root = fake.addCommit("root", [{ filename: "README.md", content: "hello\n" }], []);
    const second = fake.addCommit("second", [{ filename: "a.ts", content: `const k = "${key}";\n` }], [root]);
    nock(fake.api)
      .get("/repos/octo/shop/commits")
      .query({ sha: second, per_page: "100" })
      .reply(200, [
        { sha: second, parents: [{ sha: root }] },
        { sha: root, parents: [] },
      ]);
    fake.serve("commit", "contents").allow("issues", "issue-comments", "labels");

    const result = await scanPush(job(fake, { ref: "refs/heads/main", before: "0".repeat(40), after: second, created: true }), deps());

    expect(result.findings.map((item) => `${item.location.path}:${item.location.line}@${item.location.commitSha}`)).toStrictEqual([`a.ts:1@${second}`]);
    expect(fake.incidents()).toHaveLength(1);
  });
});
