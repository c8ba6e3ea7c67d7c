import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { readRecordedKey } from "../../src/github/recorded-key.js";
import { createWorld, PATH, PEPPER, SHA } from "./helpers/world.js";

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

const repo = { owner: "octo", repo: "shop" };

describe("readRecordedKey", () => {
  it("finds the key again by fingerprint at the recorded commit", async () => {
    const world = createWorld();
    world.github.serveFile(PATH, SHA, world.fileText);
    const found = await readRecordedKey(world.deps.octokit, repo, world.job.location, world.fingerprint, PEPPER);
    expect(found).toMatchObject({ found: true, secret: world.key, finding: { line: 3, kind: "secret" } });
  });

  it("reads files over 1 MB through the blob API", async () => {
    const world = createWorld();
    world.github.serveLargeFile(PATH, SHA, world.fileText);
    expect(await readRecordedKey(world.deps.octokit, repo, world.job.location, world.fingerprint, PEPPER)).toMatchObject({ found: true });
  });

  it("finds the key on another line of the same file", async () => {
    const world = createWorld({ fileText: (key) => `\n\n\n\n\nconst k = "${key}";\n` });
    world.github.serveFile(PATH, SHA, world.fileText);
    expect(await readRecordedKey(world.deps.octokit, repo, world.job.location, world.fingerprint, PEPPER)).toMatchObject({ found: true, finding: { line: 6 } });
  });

  it("says so when the file is gone", async () => {
    const world = createWorld();
    world.github.serveMissingFile(PATH, SHA);
    expect(await readRecordedKey(world.deps.octokit, repo, world.job.location, world.fingerprint, PEPPER)).toEqual({
      found: false,
      reason: `${PATH} at ${SHA.slice(0, 7)} can no longer be read from GitHub`,
    });
  });

  it("says so when the key is no longer in the file", async () => {
    const other = createWorld();
    other.github.serveFile(PATH, SHA, "nothing here\n");
    expect(await readRecordedKey(other.deps.octokit, repo, other.job.location, other.fingerprint, PEPPER)).toMatchObject({ found: false, reason: expect.stringContaining("no longer in") });
  });

  it("does not accept a different key at that place (the fingerprint must match)", async () => {
    const world = createWorld();
    const other = createWorld();
    world.github.serveFile(PATH, SHA, other.fileText);
    expect((await readRecordedKey(world.deps.octokit, repo, world.job.location, world.fingerprint, PEPPER)).found).toBe(false);
  });
});
