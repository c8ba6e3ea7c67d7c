/**
 * Pull requests through the whole App: check run per head sha, one summary
 * comment edited in place, inline comments once per (fingerprint, path,
 * line), history commits, out-of-order deliveries, costs and limits.
 */
import nock from "nock";
import { describe, expect, it } from "vitest";
import { SUMMARY_MARKER } from "../../src/render/index.js";
import { fakeKey } from "../helpers/fake-keys.js";
import { freshFakeGitHubPerTest } from "../helpers/fake-github-per-test.js";
import { testProbot } from "../helpers/probot.js";
import { type FakeGitHub, fakeSha } from "../fixtures/github/fake-github.js";
import { pullRequestEvent } from "../fixtures/github/payloads.js";

const INCIDENT_ROUTES = ["issues", "issue-comments", "labels"] as const;

function keyFile(path: string, key: string, lead = 0): { filename: string; content: string } {
  return { filename: path, content: `${"// context\n".repeat(lead)}export const key = "${key}";\n` };
}

describe("pull request", () => {
  let fake: FakeGitHub;
  freshFakeGitHubPerTest((fresh) => (fake = fresh));

  it("gets one check run with annotations, one summary comment edited on new pushes, and inline comments that are not repeated", async () => {
    const [k1, k2, k3] = [fakeKey("sk", "live"), fakeKey("rk", "live"), fakeKey("sk", "live")];
    const c1 = fake.addCommit("pr-c1", [keyFile("src/a.ts", k1), keyFile("src/b.ts", k2, 2)]);
    fake.addPull(7, [c1]);
    fake.serve("token", "pull-files", "pull-commits", "commit", "check-runs", "contents", "pull", "issue-comments", "issue-comment-update", "review-comments").allow(
      ...INCIDENT_ROUTES,
    );
    const { probot } = await testProbot();

    await probot.receive(pullRequestEvent(fake, { action: "opened", number: 7, headSha: c1, commits: 1 }));

    expect(fake.checkRuns).toHaveLength(1);
    const first = fake.checkRuns[0]!;
    expect(first).toMatchObject({ name: "Stripe key scan", head_sha: c1, conclusion: "failure" });
    expect(first.annotations.map((a) => `${a.path}:${a.start_line}`).sort()).toStrictEqual(["src/a.ts:1", "src/b.ts:3"]);
    const summaries = () => fake.issues.find((issue) => issue.number === 7)!.comments.filter((c) => c.body.includes(SUMMARY_MARKER));
    expect(summaries()).toHaveLength(1);
    expect(fake.reviewComments.get(7)?.map((c) => `${c.path}:${c.line}`).sort()).toStrictEqual(["src/a.ts:1", "src/b.ts:3"]);
    const firstSummary = summaries()[0]!.body;

    // A second push adds a third key; the first two are still in the net diff.
    const c2 = fake.addCommit("pr-c2", [keyFile("src/c.ts", k3)], [c1]);
    fake.addPull(7, [c1, c2]);
    await probot.receive(pullRequestEvent(fake, { number: 7, headSha: c2, before: c1, commits: 2 }));
    // And the same head is delivered again.
    await probot.receive(pullRequestEvent(fake, { number: 7, headSha: c2, before: c1, commits: 2 }, "redelivered"));

    expect(fake.checkRuns.map((run) => run.head_sha)).toStrictEqual([c1, c2, c2]);
    expect(summaries()).toHaveLength(1);
    expect(summaries()[0]!.body).not.toBe(firstSummary);
    expect(summaries()[0]!.body).toContain("src/c.ts");
    expect(fake.reviewComments.get(7)).toHaveLength(3);
    expect(fake.repoCalls().filter((call) => call.startsWith("POST") && call.endsWith("/issues/7/comments"))).toHaveLength(1);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("posts one summary and one inline comment per line when the same delivery arrives 5 times at once", async () => {
    const c1 = fake.addCommit("dup", [keyFile("src/a.ts", fakeKey("sk", "live"))]);
    fake.addPull(14, [c1]);
    fake.serve("token", "pull-files", "check-runs", "contents", "pull", "issue-comments", "review-comments").allow("issue-comment-update", ...INCIDENT_ROUTES);
    const { probot } = await testProbot();
    const event = pullRequestEvent(fake, { action: "opened", number: 14, headSha: c1, commits: 1 });

    await Promise.all(Array.from({ length: 5 }, () => probot.receive(structuredClone(event))));

    expect(fake.issues.find((issue) => issue.number === 14)!.comments.filter((c) => c.body.includes(SUMMARY_MARKER))).toHaveLength(1);
    expect(fake.reviewComments.get(14)).toHaveLength(1);
    expect(fake.incidents()).toHaveLength(1);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("counts a key added in one commit and removed in a later one", async () => {
    const key = fakeKey("sk", "live");
    const c1 = fake.addCommit("add", [keyFile("src/a.ts", key)]);
    const c2 = fake.addCommit("remove", [{ filename: "src/a.ts", status: "modified", content: "export const key = process.env.KEY;\n" }], [c1]);
    fake.addPull(8, [c1, c2]);
    fake.serve("token", "pull-files", "pull-commits", "commit", "check-runs", "contents", "pull", "issue-comments").allow(...INCIDENT_ROUTES);
    const { probot } = await testProbot();

    await probot.receive(pullRequestEvent(fake, { action: "opened", number: 8, headSha: c2, commits: 2 }));

    expect(fake.checkRuns[0]).toMatchObject({ head_sha: c2, conclusion: "failure" });
    expect(fake.incidents()).toHaveLength(1);
    expect(fake.incidents()[0]?.body).toContain(`/blob/${c1}/src/a.ts#L1`);
    // Not on the head's diff, so no inline comment (GitHub would reject it).
    expect(fake.reviewComments.get(8)).toBeUndefined();
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("still fails a later head when a key from an earlier push was removed: it is in the history", async () => {
    const key = fakeKey("sk", "live");
    const c1 = fake.addCommit("leak", [keyFile("src/a.ts", key)]);
    fake.addPull(18, [c1]);
    fake.serve("token", "pull-files", "pull-commits", "commit", "check-runs", "contents", "pull", "issue-comments", "issue-comment-update", "review-comments").allow(
      ...INCIDENT_ROUTES,
    );
    const { probot } = await testProbot();
    await probot.receive(pullRequestEvent(fake, { action: "opened", number: 18, headSha: c1, commits: 1 }));

    const c2 = fake.addCommit("unleak", [{ filename: "src/a.ts", status: "modified", content: "export const key = process.env.KEY;\n" }], [c1]);
    fake.addPull(18, [c1, c2]);
    await probot.receive(pullRequestEvent(fake, { number: 18, headSha: c2, before: c1, commits: 2 }));

    expect(fake.checkRuns.map((run) => [run.head_sha, run.conclusion])).toStrictEqual([
      [c1, "failure"],
      [c2, "failure"],
    ]);
    const summary = fake.issues.find((issue) => issue.number === 18)!.comments;
    expect(summary).toHaveLength(1);
    expect(summary[0]!.body).toContain(c2.slice(0, 7));
    expect(fake.incidents()).toHaveLength(1);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("lets a synchronize delivered out of order write only its own sha's check run", async () => {
    const [ka, kb] = [fakeKey("sk", "live"), fakeKey("sk", "test")];
    const a = fake.addCommit("A", [keyFile("src/a.ts", ka)]);
    const b = fake.addCommit("B", [keyFile("src/b.ts", kb)], [a]);
    fake.addPull(9, [a, b], [keyFile("src/b.ts", kb)]);
    fake.serve("token", "pull-files", "pull-commits", "commit", "check-runs", "contents", "pull", "issue-comments", "review-comments").allow(...INCIDENT_ROUTES);
    const { probot } = await testProbot();

    // B (the newer head) arrives first, then A's late synchronize.
    await probot.receive(pullRequestEvent(fake, { number: 9, headSha: b, before: a, commits: 2 }));
    const summaryAfterB = fake.issues.find((issue) => issue.number === 9)!.comments.map((c) => c.body);
    fake.pulls.get(9)!.files = fake.netFiles([a]);
    await probot.receive(pullRequestEvent(fake, { number: 9, headSha: a, before: fakeSha("older"), commits: 1 }));

    const runs = fake.checkRuns;
    expect(runs.map((run) => run.head_sha)).toStrictEqual([b, a]);
    // B's run was written once and never touched by A's job.
    expect(fake.repoCalls().filter((call) => call.startsWith("PATCH") && call.includes("/check-runs/"))).toStrictEqual([]);
    expect(fake.issues.find((issue) => issue.number === 9)!.comments.map((c) => c.body)).toStrictEqual(summaryAfterB);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("costs the file-list pages plus one check-run write for a clean sync", async () => {
    const files = Array.from({ length: 150 }, (_, index) => ({ filename: `src/f${index}.ts`, content: `export const v = ${index};\n` }));
    const c1 = fake.addCommit("clean", files);
    fake.addPull(10, [c1]);
    fake.serve("token", "pull-files", "check-runs");
    const { probot } = await testProbot();

    await probot.receive(pullRequestEvent(fake, { number: 10, headSha: c1, before: fakeSha("prev"), commits: 1, changedFiles: 150 }));

    expect(fake.repoCalls()).toStrictEqual(["GET /repos/octo/shop/pulls/10/files", "GET /repos/octo/shop/pulls/10/files", "POST /repos/octo/shop/check-runs"]);
    expect(fake.checkRuns[0]).toMatchObject({ head_sha: c1, conclusion: "success" });
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("reads only the commits a clean multi-commit sync added besides the head", async () => {
    const clean = (seed: string, parents: string[] = [fakeSha("base")]) => fake.addCommit(seed, [{ filename: `${seed}.ts`, content: "export {};\n" }], parents);
    const c1 = clean("m1");
    const c2 = clean("m2", [c1]);
    const c3 = clean("m3", [c2]);
    const c4 = clean("m4", [c3]);
    fake.addPull(15, [c1, c2]);
    fake.serve("token", "pull-files", "pull-commits", "commit", "check-runs").allow("issue-comments");
    const { probot } = await testProbot();

    // One new commit (the head): nothing to read one by one; the older commits found nothing before (no summary).
    fake.addPull(15, [c1, c2, c3]);
    await probot.receive(pullRequestEvent(fake, { number: 15, headSha: c3, before: c2, commits: 3 }));
    expect(fake.repoCalls()).toStrictEqual([
      "GET /repos/octo/shop/pulls/15/files",
      "GET /repos/octo/shop/pulls/15/commits",
      "GET /repos/octo/shop/issues/15/comments",
      "POST /repos/octo/shop/check-runs",
    ]);

    // Two new commits: the one below the head is read.
    fake.calls.length = 0;
    fake.addPull(15, [c1, c2, c3, c4]);
    const c5 = clean("m5", [c4]);
    fake.addPull(15, [c1, c2, c3, c4, c5]);
    await probot.receive(pullRequestEvent(fake, { number: 15, headSha: c5, before: c3, commits: 5 }));
    expect(fake.repoCalls()).toStrictEqual([
      "GET /repos/octo/shop/pulls/15/files",
      "GET /repos/octo/shop/pulls/15/commits",
      `GET /repos/octo/shop/commits/${c4}`,
      "GET /repos/octo/shop/issues/15/comments",
      "POST /repos/octo/shop/check-runs",
    ]);
    expect(fake.checkRuns.map((run) => run.conclusion)).toStrictEqual(["success", "success"]);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("comments on a pull request from a fork but leaves its incidents to the merge", async () => {
    const c1 = fake.addCommit("fork", [keyFile("src/a.ts", fakeKey("sk", "live"))]);
    fake.addPull(16, [c1]);
    fake.serve("token", "pull-files", "check-runs", "contents", "pull", "issue-comments", "review-comments");
    const { probot } = await testProbot();

    await probot.receive(pullRequestEvent(fake, { action: "opened", number: 16, headSha: c1, commits: 1, fromFork: true }));

    expect(fake.checkRuns[0]).toMatchObject({ conclusion: "failure" });
    expect(fake.reviewComments.get(16)).toHaveLength(1);
    expect(fake.incidents()).toStrictEqual([]);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("keeps going when GitHub refuses one inline comment", async () => {
    const c1 = fake.addCommit("refused", [keyFile("src/a.ts", fakeKey("sk", "live")), keyFile("src/b.ts", fakeKey("sk", "live"))]);
    fake.addPull(17, [c1]);
    fake.failOnce("POST", /\/pulls\/17\/comments$/, 422, {}, { message: "Validation Failed" });
    fake.serve("token", "pull-files", "check-runs", "contents", "pull", "issue-comments", "review-comments").allow(...INCIDENT_ROUTES);
    const { probot } = await testProbot();

    await probot.receive(pullRequestEvent(fake, { action: "opened", number: 17, headSha: c1, commits: 1 }));

    expect(fake.reviewComments.get(17)).toHaveLength(1);
    expect(fake.issues.find((issue) => issue.number === 17)!.comments).toHaveLength(1);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("applies paths.ignore from the config: a key in an ignored path leaves a clean check and no comment", async () => {
    const c1 = fake.addCommit("ignored", [keyFile("test/fixtures/stripe.json", fakeKey("sk", "test"))]);
    fake.addPull(19, [c1]);
    fake.setConfig("paths:\n  ignore: ['test/fixtures/**']\n");
    fake.serve("token", "pull-files", "contents", "check-runs");
    const { probot } = await testProbot();

    await probot.receive(pullRequestEvent(fake, { action: "opened", number: 19, headSha: c1, commits: 1 }));

    expect(fake.checkRuns[0]).toMatchObject({ conclusion: "success" });
    expect(fake.repoCalls()).toStrictEqual([
      "GET /repos/octo/shop/pulls/19/files",
      "GET /repos/octo/shop/contents/.github%2Fstripe-leak-guard.yml",
      "POST /repos/octo/shop/check-runs",
    ]);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("sends annotations in batches of at most 50", async () => {
    const keys = Array.from({ length: 60 }, (_, index) => keyFile(`keys/k${index}.ts`, fakeKey("sk", "test")));
    const c1 = fake.addCommit("many", keys);
    fake.addPull(11, [c1]);
    fake.setConfig("comments:\n  summary: false\n  inline: false\n");
    fake.serve("token", "pull-files", "check-runs", "check-run-update", "contents").allow(...INCIDENT_ROUTES);
    const { probot } = await testProbot();

    await probot.receive(pullRequestEvent(fake, { number: 11, headSha: c1, commits: 1, changedFiles: 60 }));

    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]!.annotations).toHaveLength(60);
    expect(fake.repoCalls().filter((call) => call.includes("/check-runs"))).toStrictEqual(["POST /repos/octo/shop/check-runs", "PATCH /repos/octo/shop/check-runs/" + fake.checkRuns[0]!.id]);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("says incomplete, never clean, past GitHub's 3,000-file list", async () => {
    const files = Array.from({ length: 3000 }, (_, index) => ({ filename: `gen/f${index}.txt`, content: `${index}\n` }));
    const c1 = fake.addCommit("huge", files);
    fake.addPull(12, [c1]);
    fake.serve("token", "pull-files", "check-runs", "contents", "pull", "issue-comments");
    const { probot } = await testProbot();

    await probot.receive(pullRequestEvent(fake, { number: 12, headSha: c1, commits: 1, changedFiles: 3500 }));

    expect(fake.checkRuns[0]).toMatchObject({ conclusion: "neutral" });
    expect(fake.checkRuns[0]!.title).toMatch(/incomplete/i);
    const summary = fake.issues.find((issue) => issue.number === 12)!.comments[0]!.body;
    expect(summary).toContain("3500");
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("shows a bad config in the check run and the summary, and applies the defaults", async () => {
    const c1 = fake.addCommit("cfg", [keyFile("src/a.ts", fakeKey("sk", "live"))]);
    fake.addPull(13, [c1]);
    fake.setConfig("check:\n  failOn: sometimes\nrotationUrl: https://attacker.example/\n");
    fake.serve("token", "pull-files", "check-runs", "contents", "pull", "issue-comments", "review-comments").allow(...INCIDENT_ROUTES);
    const { probot } = await testProbot();

    await probot.receive(pullRequestEvent(fake, { number: 13, headSha: c1, commits: 1 }));

    const run = fake.checkRuns[0]!;
    expect(run.conclusion).toBe("failure");
    expect(run.summary).toContain("check.failOn");
    expect(run.summary).toContain("rotationUrl");
    const summary = fake.issues.find((issue) => issue.number === 13)!.comments[0]!.body;
    expect(summary).toContain("check.failOn");
    expect(fake.calls.some((call) => call.includes("attacker"))).toBe(false);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });
});
