/**
 * GitHub Enterprise Server: the App talks to GHE_HOST's /api/v3 and every
 * permalink names that host, never github.com.
 */
import nock from "nock";
import { describe, expect, it } from "vitest";
import { fakeKey } from "../helpers/fake-keys.js";
import { freshFakeGitHubPerTest } from "../helpers/fake-github-per-test.js";
import { createApp } from "../../src/app.js";
import { createProbotFromEnv } from "../../src/probot/from-env.js";
import { captureLog, TEST_PEPPER, testPrivateKey, testProbot } from "../helpers/probot.js";
import { FakeGitHub, fakeSha } from "../fixtures/github/fake-github.js";
import { pullRequestEvent, pushEvent } from "../fixtures/github/payloads.js";

const GHES_API = "https://ghe.example.com/api/v3";

describe("GitHub Enterprise Server", () => {
  let fake: FakeGitHub;
  freshFakeGitHubPerTest((fresh) => (fake = fresh), GHES_API);

  it("calls the GHES API and links to the GHES host", async () => {
    const key = fakeKey("sk", "live");
    const before = fakeSha("main-head");
    const c1 = fake.addCommit("ghes", [{ filename: "app/config.rb", content: `STRIPE = "${key}"\n` }]);
    fake.setComparison(before, c1, [c1]);
    fake.addPull(3, [c1]);
    fake.serve("token", "compare", "contents", "pull-files", "check-runs", "pull", "issue-comments", "review-comments").allow("issues", "labels");
    const { probot } = await testProbot({ baseUrl: GHES_API });

    await probot.receive(pushEvent(fake, { before, after: c1 }));
    await probot.receive(pullRequestEvent(fake, { action: "opened", number: 3, headSha: c1, commits: 1 }));

    expect(fake.calls.every((call) => call.includes(" /api/v3/"))).toBe(true);
    const written = [...fake.incidents().map((issue) => issue.body), ...fake.issues.flatMap((issue) => issue.comments.map((c) => c.body))].join("\n");
    expect(written).toContain(`https://ghe.example.com/octo/shop/blob/${c1}/app/config.rb#L1`);
    expect(written).not.toContain("https://github.com/octo/");
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("takes the host from GHE_HOST and GHE_PROTOCOL, as Probot does, in the production wiring", async () => {
    const plain = new FakeGitHub("http://ghe.internal/api/v3");
    const before = fakeSha("main-head");
    const after = plain.addCommit("env", [{ filename: "a.ts", content: "export const a = 1;\n" }]);
    plain.setComparison(before, after, [after]);
    plain.serve("token", "compare");
    const { log } = captureLog();
    const probot = createProbotFromEnv({ APP_ID: "1", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: "s", GHE_HOST: "ghe.internal", GHE_PROTOCOL: "http" }, log);
    await probot.load(createApp({ pepper: TEST_PEPPER }));

    await probot.receive(pushEvent(plain, { before, after }));

    expect(plain.calls).toStrictEqual([
      `POST /api/v3/app/installations/${plain.installationId}/access_tokens`,
      `GET /api/v3/repos/octo/shop/compare/${before}...${after}`,
    ]);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });
});
