/**
 * The raw key never leaves memory: not in a request body sent to GitHub, not
 * in a log line at trace level (a plain pino logger, so the project's
 * scrubbing logger cannot hide a leak), not in an error.
 */
import nock from "nock";
import { describe, expect, it } from "vitest";
import { fakeKey, fakeWebhookSecret } from "../helpers/fake-keys.js";
import { freshFakeGitHubPerTest } from "../helpers/fake-github-per-test.js";
import { testProbot } from "../helpers/probot.js";
import { type FakeGitHub, fakeSha } from "../fixtures/github/fake-github.js";
import { pullRequestEvent, pushEvent } from "../fixtures/github/payloads.js";

function errorText(error: unknown): string {
  const parts: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 5 || value === null || value === undefined) return;
    if (value instanceof Error) {
      parts.push(String(value), value.stack ?? "");
      // @octokit/webhooks attaches the delivered event to its errors; the payload is GitHub's, not ours.
      const rest = Object.fromEntries(Object.entries(value).filter(([name]) => name !== "event"));
      parts.push(JSON.stringify(rest));
      visit(value.cause, depth + 1);
      if (value instanceof AggregateError) for (const inner of value.errors) visit(inner, depth + 1);
    }
  };
  visit(error, 0);
  return parts.join("\n");
}

describe("canary: the raw key", () => {
  let fake: FakeGitHub;
  freshFakeGitHubPerTest((fresh) => (fake = fresh));

  it("appears in no request body, no trace log line and no error, across push, pull request and a failing write", async () => {
    const canaries = [fakeKey("sk", "live"), fakeKey("rk", "live"), fakeWebhookSecret()];
    const [live, restricted, webhook] = canaries as [string, string, string];
    const before = fakeSha("main-head");
    const c1 = fake.addCommit("canary", [
      { filename: "src/pay.ts", content: `export const key = "${live}";\nexport const hook = "${webhook}";\n` },
      { filename: "vendor/big.js", content: `${"x\n".repeat(10)}var k = "${restricted}";\n`, patch: null },
    ]);
    fake.setComparison(before, c1, [c1]);
    fake.addPull(21, [c1]);
    fake.serve("token", "compare", "blob", "contents", "pull-files", "check-runs", "pull", "issue-comments", "review-comments").allow("issues", "labels");
    const { probot, log } = await testProbot();

    await probot.receive(pushEvent(fake, { before, after: c1 }));
    await probot.receive(pullRequestEvent(fake, { action: "opened", number: 21, headSha: c1, commits: 1 }));
    // A write that fails: the error travels up through the dispatcher to Probot.
    fake.failOnce("POST", /\/check-runs$/, 500);
    const failure = await probot.receive(pullRequestEvent(fake, { action: "reopened", number: 21, headSha: c1, commits: 1 }, "failing")).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(Error);
    expect(fake.incidents().length).toBeGreaterThanOrEqual(2);
    expect(fake.checkRuns.length).toBe(1);
    expect(log.lines.length).toBeGreaterThan(20);
    const sent = fake.bodies.join("\n");
    const logged = log.lines.join("");
    const thrown = errorText(failure);
    for (const canary of canaries) {
      const body = canary.slice(canary.lastIndexOf("_") + 1);
      expect(sent.includes(body)).toBe(false);
      expect(logged.includes(body)).toBe(false);
      expect(thrown.includes(body)).toBe(false);
    }
    expect(nock.pendingMocks()).toStrictEqual([]);
  });
});
