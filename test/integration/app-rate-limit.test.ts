/**
 * The one test with Octokit's retry and throttle on, as in production (waits
 * shrunk to milliseconds): a 403 secondary rate limit with retry-after is
 * retried and the scan completes. Probot's own setting would only log it.
 */
import nock from "nock";
import { describe, expect, it } from "vitest";
import { freshFakeGitHubPerTest } from "../helpers/fake-github-per-test.js";
import { testProbot } from "../helpers/probot.js";
import { type FakeGitHub, fakeSha } from "../fixtures/github/fake-github.js";
import { pushEvent } from "../fixtures/github/payloads.js";

describe("secondary rate limit", () => {
  let fake: FakeGitHub;
  freshFakeGitHubPerTest((fresh) => (fake = fresh));

  it("retries a 403 secondary rate limit after retry-after", async () => {
    const before = fakeSha("main-head");
    const after = fake.addCommit("clean", [{ filename: "a.ts", content: "export const a = 1;\n" }]);
    fake.setComparison(before, after, [after]);
    fake.failOnce("GET", /\/compare\//, 403, { "retry-after": "2" }, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." });
    fake.serve("token", "compare");
    const { probot, log } = await testProbot({ realistic: true });

    await probot.receive(pushEvent(fake, { before, after }));

    const compare = `GET /repos/octo/shop/compare/${before}...${after}`;
    expect(fake.repoCalls()).toStrictEqual([compare, compare]);
    expect(log.lines.some((line) => line.includes("secondary rate limit") && line.includes("retrying in 2 s"))).toBe(true);
    expect(log.lines.some((line) => line.includes('"msg":"push scanned"'))).toBe(true);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });
});
