/** Repo config reading: own file, the owner's .github default, same-owner _extends, and every way it can be bad. */
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultRepoConfig } from "../../src/config/repo-config.js";
import { loadRepoConfig } from "../../src/github/config.js";
import { fakeKey } from "../helpers/fake-keys.js";
import { testOctokit } from "../helpers/octokit.js";

const API = "https://api.github.com";
const REPO = { owner: "octo", repo: "shop" };

function file(text: string) {
  return { type: "file", encoding: "base64", size: Buffer.byteLength(text), content: Buffer.from(text).toString("base64") };
}

function serve(owner: string, repo: string, path: string, status: number, text = "") {
  nock(API)
    .get(`/repos/${owner}/${repo}/contents/${encodeURIComponent(path)}`)
    .reply(status, status === 200 ? file(text) : { message: "Not Found" });
}

const OWN = ".github/stripe-leak-guard.yml";

describe("loadRepoConfig", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    expect(nock.pendingMocks()).toStrictEqual([]);
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("reads the repository's own file", async () => {
    serve("octo", "shop", OWN, 200, "check:\n  failOn: medium\npaths:\n  ignore: ['fixtures/**']\n");
    const result = await loadRepoConfig(testOctokit(), REPO);
    expect(result.errors).toStrictEqual([]);
    expect(result.config.check.failOn).toBe("medium");
    expect(result.config.paths.ignore).toStrictEqual(["fixtures/**"]);
  });

  it("falls back to the owner's .github repository, then to the defaults", async () => {
    serve("octo", "shop", OWN, 404);
    serve("octo", ".github", OWN, 200, "comments:\n  inline: false\n");
    expect((await loadRepoConfig(testOctokit(), REPO)).config.comments.inline).toBe(false);

    serve("octo", "shop", OWN, 404);
    serve("octo", ".github", OWN, 404);
    expect(await loadRepoConfig(testOctokit(), REPO)).toStrictEqual({ config: defaultRepoConfig, errors: [] });
  });

  it("follows _extends within the same owner, the extending file winning", async () => {
    serve("octo", "shop", OWN, 200, "_extends: .github\ncheck:\n  failOn: critical\n");
    serve("octo", ".github", OWN, 200, "check:\n  failOn: low\ncomments:\n  summary: false\n");
    const result = await loadRepoConfig(testOctokit(), REPO);
    expect(result.errors).toStrictEqual([]);
    expect(result.config.check.failOn).toBe("critical");
    expect(result.config.comments.summary).toBe(false);
  });

  it("follows owner/repo:path within the same owner", async () => {
    serve("octo", "shop", OWN, 200, "_extends: octo/policies:stripe/guard.yml\n");
    serve("octo", "policies", "stripe/guard.yml", 200, "incidents:\n  assignees: [alice]\n");
    expect((await loadRepoConfig(testOctokit(), REPO)).config.incidents.assignees).toStrictEqual(["alice"]);
  });

  it("refuses _extends across owners with a clear error, and applies the defaults", async () => {
    serve("octo", "shop", OWN, 200, "_extends: mallory/evil\npaths:\n  ignore: ['**']\n");
    const result = await loadRepoConfig(testOctokit(), REPO);
    expect(result.config).toStrictEqual(defaultRepoConfig);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/another owner \(mallory\)/);
  });

  it("never quotes a key from the file in its errors", async () => {
    const key = fakeKey("sk", "live");
    serve("octo", "shop", OWN, 200, `${key}: true\n`);
    const result = await loadRepoConfig(testOctokit(), REPO);
    expect(result.errors).toHaveLength(1);
    expect(result.errors.join("\n")).not.toContain(key.slice(8));

    serve("octo", "shop", OWN, 200, `_extends: "${key}/x"\n`);
    const extended = await loadRepoConfig(testOctokit(), REPO);
    expect(extended.errors.join("\n")).not.toContain(key.slice(8));
  });

  it("reports loops, bad YAML, non-mappings, unknown keys and unreadable files without throwing", async () => {
    serve("octo", "shop", OWN, 200, "_extends: a\n");
    serve("octo", "a", OWN, 200, "_extends: shop\n");
    expect((await loadRepoConfig(testOctokit(), REPO)).errors[0]).toMatch(/loops/);

    serve("octo", "shop", OWN, 200, "check: [unclosed\n");
    expect((await loadRepoConfig(testOctokit(), REPO)).errors[0]).toMatch(/not valid YAML/);

    serve("octo", "shop", OWN, 200, "- just\n- a list\n");
    expect((await loadRepoConfig(testOctokit(), REPO)).errors[0]).toMatch(/mapping/);

    serve("octo", "shop", OWN, 200, "webhookSecret: nope\n");
    const unknown = await loadRepoConfig(testOctokit(), REPO);
    expect(unknown.config).toStrictEqual(defaultRepoConfig);
    expect(unknown.errors.join("\n")).toMatch(/webhookSecret/);

    serve("octo", "shop", OWN, 403);
    const forbidden = await loadRepoConfig(testOctokit(), REPO);
    expect(forbidden.config).toStrictEqual(defaultRepoConfig);
    expect(forbidden.errors[0]).toMatch(/GitHub answered 403/);
  });
});
