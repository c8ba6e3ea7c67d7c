/**
 * Five workers (own Octokit, own incident cache, own Redis connection and
 * lock instance, as separate processes would have) handle the same sighting
 * at once: the Redis lock plus the marker lookup still give one issue.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { IncidentCache } from "../../src/jobs/incidents-cache.js";
import { recordSightings } from "../../src/jobs/incidents.js";
import { createRedisLock } from "../../src/lock/redis-lock.js";
import { FakeGitHub } from "./incidents-fake-github.js";
import { REPO, config, deps, everyLabelExists, liveKey, sighting } from "./incidents-fixtures.js";

const prefix = `slg-test:incidents:${randomUUID()}`;
const clients = Array.from({ length: 5 }, () => new Redis({ host: "127.0.0.1", port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 }));

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1:6379");
  await Promise.all(clients.map((client) => client.connect()));
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  const leftover = await clients[0]!.keys(`${prefix}:*`);
  if (leftover.length > 0) await clients[0]!.del(...leftover);
  await Promise.all(clients.map((client) => client.quit()));
  nock.enableNetConnect();
});

describe("incidents across processes", () => {
  it("5 workers with a shared Redis lock open one issue for the same key", async () => {
    const s = sighting(liveKey());
    const gh = new FakeGitHub().listIssues(5).createIssue().listComments(4);
    const runs = clients.map((client) =>
      recordSightings(
        deps({ lock: createRedisLock({ client, keyPrefix: prefix }) }),
        { repo: REPO, sightings: [s], foundBy: "push", config: config() },
        { cache: new IncidentCache(), labelCache: everyLabelExists() },
      ),
    );
    const outcomes = (await Promise.all(runs)).flat();
    expect(outcomes.filter((outcome) => outcome.action === "created")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.action === "unchanged")).toHaveLength(4);
    expect(gh.issues).toHaveLength(1);
    expect(gh.posts("comments")).toBe(0);
    expect(await clients[0]!.keys(`${prefix}:*`)).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
