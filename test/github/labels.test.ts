import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureLabels, type LabelCache } from "../../src/github/labels.js";
import { FakeGitHub } from "../jobs/incidents-fake-github.js";
import { testOctokit } from "../helpers/octokit.js";

const repo = { owner: "octo", repo: "shop" };
const specs = [
  { name: "stripe-leak-guard", color: "5319e7", description: "tracking" },
  { name: "severity: critical", color: "#b60205", description: "roll it now" },
  { name: "stripe-leak", color: "d73a4a", description: "configured" },
];

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe("ensureLabels", () => {
  it("creates only the missing labels, with colour (no '#') and description", async () => {
    const gh = new FakeGitHub().listLabels().createLabel(2);
    gh.seedLabels(["Stripe-Leak"]);
    const created = await ensureLabels(testOctokit(), repo, specs, new Map());
    expect(created).toEqual(["stripe-leak-guard", "severity: critical"]);
    expect(gh.labels.find((label) => label.name === "severity: critical")).toEqual({
      name: "severity: critical",
      color: "b60205",
      description: "roll it now",
    });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("treats a 422 already_exists race as success", async () => {
    const gh = new FakeGitHub().listLabels().createLabel(3, "severity: critical");
    const created = await ensureLabels(testOctokit(), repo, specs, new Map());
    expect(created).toEqual(["stripe-leak-guard", "stripe-leak"]);
    expect(gh.posts("labels")).toBe(3);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("remembers what exists per repository and makes no request the second time", async () => {
    const cache: LabelCache = new Map();
    const gh = new FakeGitHub().listLabels().createLabel(3);
    await ensureLabels(testOctokit(), repo, specs, cache);
    await ensureLabels(testOctokit(), repo, specs, cache);
    expect(gh.calls).toHaveLength(4);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("rethrows any other failure", async () => {
    nock("https://api.github.com").get("/repos/octo/shop/labels").query(true).reply(200, []);
    nock("https://api.github.com").post("/repos/octo/shop/labels").reply(403, { message: "Resource not accessible by integration" });
    await expect(ensureLabels(testOctokit(), repo, specs.slice(0, 1), new Map())).rejects.toMatchObject({ status: 403 });
    expect(nock.pendingMocks()).toEqual([]);
  });
});
