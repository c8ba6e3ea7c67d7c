/**
 * Installing the App on an installation with 50 repositories, end to end in
 * single-process mode: the installation.created webhook goes through
 * Probot, the in-process dispatcher runs the plan, and the background runner
 * scans each repository from exactly one tarball request. Incidents open for
 * the planted keys and for nothing else.
 */
import { createRequire } from "node:module";
import nock from "nock";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backfillServices } from "../../src/jobs/backfill-services.js";
import { processMetrics } from "../../src/metrics/index.js";
import { FakeGitHub } from "../jobs/incidents-fake-github.js";
import { fakeKey } from "../helpers/fake-keys.js";
import { TEST_API } from "../helpers/octokit.js";
import { testProbot } from "../helpers/probot.js";
import { buildRepoTarball } from "../backfill/tar-writer.js";

const CODELOAD = "https://codeload.github.com";
const INSTALLATION = 9100 + Math.floor(Math.random() * 800);
const OWNER = `bf${INSTALLATION}`;
const REPOS = 50;
const PLANTED = new Set([3, 17, 29, 41]);
/** A codeload address token: it must never show in a log line. */
const CODELOAD_TOKEN = "codeloadtoken0123456789ABCDEF";

const examples: unknown = createRequire(import.meta.url)("@octokit/webhooks-examples/api.github.com/index.json");
function installationCreated(): Record<string, unknown> {
  const group = (examples as { name: string; examples: Record<string, unknown>[] }[]).find((entry) => entry.name === "installation");
  const created = group?.examples.find((example) => example.action === "created");
  if (!created) throw new Error("no installation.created example");
  const event = structuredClone(created) as Record<string, Record<string, unknown>>;
  event.installation = { ...event.installation, id: INSTALLATION, account: { ...(event.installation?.account as object), login: OWNER } };
  return event;
}

function repoJson(i: number) {
  return { id: 700_000 + INSTALLATION * 100 + i, name: `r${i}`, full_name: `${OWNER}/r${i}`, owner: { login: OWNER }, html_url: `https://github.com/${OWNER}/r${i}`, size: 10, archived: false };
}

beforeAll(() => {
  // Fast pace for the test: 600 a minute is a tarball every 50 ms.
  process.env.BACKFILL_REPOS_PER_MINUTE = "600";
});

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("installation.created backfill (single process, nock)", () => {
  it("fetches one tarball per repository and opens incidents for the planted keys only", async () => {
    const keys = new Map<number, string>();
    const tarballCalls = new Map<string, number>();
    const api = nock(TEST_API);
    api.post(`/app/installations/${INSTALLATION}/access_tokens`).optionally().times(5).reply(201, { token: "ghs_installation_token_for_tests", expires_at: "2099-01-01T00:00:00Z" });
    api.get("/installation/repositories").query(true).reply(200, { total_count: REPOS, repositories: Array.from({ length: REPOS }, (_, i) => repoJson(i)) });
    const codeload = nock(CODELOAD);
    for (let i = 0; i < REPOS; i++) {
      const files: Record<string, string> = { "README.md": `# r${i}\n`, "src/index.js": "console.log('hi');\n" };
      if (PLANTED.has(i)) {
        const key = fakeKey("sk", "live");
        keys.set(i, key);
        files["config/settings.py"] = `DEBUG = False\nSTRIPE_KEY = "${key}"\n`;
      }
      const tarball = buildRepoTarball(`${OWNER}-r${i}-abcdef0`, files, (i + 1).toString(16).padStart(40, "0"));
      api.get(`/repos/${OWNER}/r${i}/tarball`).reply(() => {
        tarballCalls.set(`r${i}`, (tarballCalls.get(`r${i}`) ?? 0) + 1);
        return [302, "", { location: `${CODELOAD}/${OWNER}/r${i}/legacy.tar.gz/refs/heads/main?token=${CODELOAD_TOKEN}`, "x-ratelimit-remaining": "4900", "x-ratelimit-limit": "5000", "x-ratelimit-reset": "4102444800" }];
      });
      codeload.get(`/${OWNER}/r${i}/legacy.tar.gz/refs/heads/main`).query(true).reply(200, tarball);
    }
    const fakes = new Map<number, FakeGitHub>();
    for (const i of PLANTED) {
      const fake = new FakeGitHub(OWNER, `r${i}`).listIssues().listLabels().createLabel(6).createIssue();
      fakes.set(i, fake);
      api.get(`/repos/${OWNER}/r${i}/contents/${encodeURIComponent(".github/stripe-leak-guard.yml")}`).reply(404, { message: "Not Found" });
      api.get(`/repos/${OWNER}/.github/contents/${encodeURIComponent(".github/stripe-leak-guard.yml")}`).reply(404, { message: "Not Found" });
    }

    const { probot, log } = await testProbot();
    await probot.receive({ id: `delivery-install-${INSTALLATION}`, name: "installation", payload: installationCreated() } as never);
    await backfillServices.inProcess().idle();

    expect(nock.pendingMocks()).toEqual([]);
    expect(tarballCalls.size).toBe(REPOS);
    expect([...tarballCalls.values()].every((count) => count === 1)).toBe(true);

    for (const [i, fake] of fakes) {
      expect(fake.issues).toHaveLength(1);
      const issue = fake.issues[0]!;
      expect(issue.labels).toContain("found-by:backfill");
      expect(issue.body).toContain("existing files");
      expect(issue.body).toContain("config/settings.py");
      expect(issue.body).not.toContain(keys.get(i));
    }

    const progress = await backfillServices.inProcess().store.progress(INSTALLATION);
    expect(progress).toEqual({ done: REPOS, total: REPOS });
    const all = log.lines.join("");
    expect(all).toContain(`"progress":"${REPOS}/${REPOS}"`);
    expect(all).toContain("backfill of the installation finished");
    expect(all).not.toContain(CODELOAD_TOKEN);
    for (const key of keys.values()) expect(all).not.toContain(key);

    const metrics = await processMetrics().render();
    expect(metrics).toContain(`stripe_leak_guard_backfill_repositories_done{installation="${INSTALLATION}"} ${REPOS}`);
    expect(metrics).toContain(`stripe_leak_guard_backfill_repositories_total{installation="${INSTALLATION}"} ${REPOS}`);

    // The same event delivered again: everything is done, so not one tarball is asked for again.
    api.post(`/app/installations/${INSTALLATION}/access_tokens`).optionally().reply(201, { token: "ghs_installation_token_for_tests", expires_at: "2099-01-01T00:00:00Z" });
    api.get("/installation/repositories").query(true).reply(200, { total_count: REPOS, repositories: Array.from({ length: REPOS }, (_, i) => repoJson(i)) });
    await probot.receive({ id: `delivery-install-${INSTALLATION}-again`, name: "installation", payload: installationCreated() } as never);
    await backfillServices.inProcess().idle();
    expect(nock.pendingMocks()).toEqual([]);
    expect([...tarballCalls.values()].every((count) => count === 1)).toBe(true);
  }, 60_000);
});
