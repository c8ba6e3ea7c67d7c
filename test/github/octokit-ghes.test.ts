import nock from "nock";
import { Probot } from "probot";
import { AppOctokit } from "../../src/github/octokit.js";
import { afterEach, beforeAll, expect, it } from "vitest";
import { installationToken } from "../../src/history/run-history-scan.js";
import { APP_ID, testPrivateKey } from "../helpers/probot.js";

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

it("asks the GitHub Enterprise Server, not github.com, for the installation token used to clone (AppOctokit)", async () => {
  const ghes = nock("https://ghe.example.com/api/v3")
    .post("/app/installations/77/access_tokens")
    .reply(201, { token: "ghs_test_token_value", expires_at: new Date(Date.now() + 3_600_000).toISOString() });
  const probot = new Probot({
    appId: APP_ID,
    privateKey: testPrivateKey(),
    baseUrl: "https://ghe.example.com/api/v3",
    Octokit: AppOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
  });
  const octokit = await probot.auth(77);
  await expect(installationToken(octokit)).resolves.toBe("ghs_test_token_value");
  expect(ghes.isDone()).toBe(true);
  expect(nock.pendingMocks()).toEqual([]);
});
