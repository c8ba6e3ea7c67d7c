import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createIssue,
  createIssueComment,
  getIssue,
  isInvalidAssigneeError,
  isRetryableWriteError,
  listIssueCommentBodies,
  listIssuesWithLabel,
  reopenIssue,
} from "../../src/github/issues.js";
import { FakeGitHub } from "../jobs/incidents-fake-github.js";
import { testOctokit } from "../helpers/octokit.js";

const repo = { owner: "octo", repo: "shop" };

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe("listIssuesWithLabel", () => {
  it("follows every page, asks for open and closed issues, and drops pull requests", async () => {
    const gh = new FakeGitHub().listIssues(3);
    for (let i = 0; i < 230; i++) gh.seedIssue({ body: `b${i}`, labels: ["stripe-leak-guard"], state: i % 2 ? "closed" : "open" });
    gh.seedIssue({ body: "a PR", labels: ["stripe-leak-guard"], pull_request: true });
    gh.seedIssue({ body: "unlabelled" });
    const issues = await listIssuesWithLabel(testOctokit(), repo, "stripe-leak-guard");
    expect(issues).toHaveLength(230);
    expect(new Set(issues.map((issue) => issue.state))).toEqual(new Set(["open", "closed"]));
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("getIssue", () => {
  it("returns the issue, or undefined when it is gone", async () => {
    const gh = new FakeGitHub().getIssue(2);
    gh.seedIssue({ body: "hello", state: "closed" });
    expect(await getIssue(testOctokit(), repo, 1)).toEqual({ number: 1, state: "closed", body: "hello", byBot: true });
    expect(await getIssue(testOctokit(), repo, 99)).toBeUndefined();
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("treats a transferred issue or a pull request as not this repository's issue", async () => {
    const gh = new FakeGitHub().getIssue(2);
    gh.seedIssue({ body: "moved", repository: "octo/elsewhere" });
    gh.seedIssue({ body: "a PR", pull_request: true });
    expect(await getIssue(testOctokit(), repo, 1)).toBeUndefined();
    expect(await getIssue(testOctokit(), repo, 2)).toBeUndefined();
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("writes", () => {
  it("creates an issue, comments, reopens and lists comments", async () => {
    const gh = new FakeGitHub().createIssue().createComment().updateIssue().listComments(2);
    const issue = await createIssue(testOctokit(), repo, { title: "t", body: "b", labels: ["x"], assignees: ["octocat"] });
    expect(issue).toEqual({ number: 1, state: "open", body: "b", byBot: true });
    expect(gh.issues[0]).toMatchObject({ labels: ["x"], assignees: ["octocat"] });
    await createIssueComment(testOctokit(), repo, 1, "seen again");
    gh.issues[0]!.state = "closed";
    await reopenIssue(testOctokit(), repo, 1);
    expect(gh.issues[0]!.state).toBe("open");
    gh.issues[0]!.personComments = ["a person's note"];
    expect(await listIssueCommentBodies(testOctokit(), repo, 1)).toEqual(["a person's note", "seen again"]);
    expect(await listIssueCommentBodies(testOctokit(), repo, 1, { botsOnly: true })).toEqual(["seen again"]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("sends a create exactly once even with plugin-retry on: a 5xx is the caller's to judge", async () => {
    // Room for a retry: if plugin-retry sent one, it would be served and the promise would wait for it.
    const gh = new FakeGitHub().createIssue(2, { status: 502, stored: true });
    const error = await createIssue(testOctokit({ retry: true }), repo, { title: "t", body: "b", labels: [], assignees: [] }).catch((e: unknown) => e);
    expect(isRetryableWriteError(error)).toBe(true);
    expect(gh.posts("issues")).toBe(1);
    expect(gh.issues).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual(["POST https://api.github.com:443/repos/octo/shop/issues"]);
  });

  it("classifies errors", async () => {
    new FakeGitHub().createIssue();
    const error = await createIssue(testOctokit(), repo, { title: "t", body: "b", labels: [], assignees: ["nobody-here"] }).catch((e: unknown) => e);
    expect(isInvalidAssigneeError(error)).toBe(true);
    expect(isRetryableWriteError(error)).toBe(false);
    expect(isRetryableWriteError(new Error("a bug, not a 5xx"))).toBe(false);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("reports a network failure as retryable", async () => {
    nock("https://api.github.com").post("/repos/octo/shop/issues/1/comments").replyWithError("socket hang up");
    const error = await createIssueComment(testOctokit(), repo, 1, "x").catch((e: unknown) => e);
    expect(isRetryableWriteError(error)).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("with Probot's retry and throttle on", () => {
  it("still retries a create that hit a secondary rate limit (403 with retry-after): GitHub did not process it", async () => {
    nock("https://api.github.com")
      .post("/repos/octo/shop/issues")
      .reply(403, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }, { "retry-after": "1" });
    const gh = new FakeGitHub().createIssue();
    const issue = await createIssue(testOctokit({ retry: true, throttle: true }), repo, { title: "t", body: "b", labels: [], assignees: [] });
    expect(issue.number).toBe(1);
    expect(gh.issues).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
