/** Annotations go 50 per request: the first batch with the create, the rest as updates (which GitHub appends). */
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ANNOTATIONS_PER_REQUEST, CHECK_RUN_NAME, publishCheckRun } from "../../src/github/check-runs.js";
import type { CheckAnnotation, RenderedCheckRun } from "../../src/render/index.js";
import { testOctokit } from "../helpers/octokit.js";

const REPO = { owner: "octo", repo: "shop" };
const SHA = "a".repeat(40);

function rendered(count: number): RenderedCheckRun {
  const annotations: CheckAnnotation[] = Array.from({ length: count }, (_, index) => ({
    path: `f${index}.ts`,
    start_line: 1,
    end_line: 1,
    annotation_level: "failure",
    title: "t",
    message: "m",
  }));
  return { conclusion: "failure", title: "title", summary: "summary", annotations };
}

describe("publishCheckRun", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    expect(nock.pendingMocks()).toStrictEqual([]);
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it.each([
    [0, 0],
    [50, 0],
    [51, 1],
    [101, 2],
  ])("sends %i annotations with %i update(s)", async (count, updates) => {
    const batches: number[] = [];
    nock("https://api.github.com")
      .post("/repos/octo/shop/check-runs", (body: { name: string; head_sha: string; status: string; output: { annotations: unknown[] } }) => {
        expect(body).toMatchObject({ name: CHECK_RUN_NAME, head_sha: SHA, status: "completed", conclusion: "failure" });
        batches.push(body.output.annotations.length);
        return true;
      })
      .reply(201, { id: 9 });
    if (updates > 0) {
      nock("https://api.github.com")
        .patch("/repos/octo/shop/check-runs/9", (body: { output: { title: string; summary: string; annotations: unknown[] } }) => {
          expect(body.output).toMatchObject({ title: "title", summary: "summary" });
          batches.push(body.output.annotations.length);
          return true;
        })
        .times(updates)
        .reply(200, { id: 9 });
    }

    expect(await publishCheckRun(testOctokit(), REPO, SHA, rendered(count))).toBe(9);

    expect(batches.every((size) => size <= ANNOTATIONS_PER_REQUEST)).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(count);
    expect(batches).toHaveLength(1 + updates);
  });
});
