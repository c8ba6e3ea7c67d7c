import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import nock from "nock";
import { pino } from "pino";
import { Redis } from "ioredis";
import { createMetrics } from "../../src/metrics/index.js";
import { countOpenIncidents, readOpenIncidents, storeOpenIncidents } from "../../src/ops/incident-census.js";
import { TEST_API, testOctokit } from "../helpers/octokit.js";

const prefix = `slg-test-census-${randomUUID().slice(0, 8)}`;
const redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
const log = pino({ level: "silent" });

afterEach(() => {
  nock.cleanAll();
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe("countOpenIncidents", () => {
  it("adds up each installation's open issues with the incident label, scoped to its account", async () => {
    nock(TEST_API)
      .get("/app/installations")
      .query({ per_page: "100" })
      .reply(200, [
        { id: 1, account: { login: "acme", type: "Organization" } },
        { id: 2, account: { login: "octocat", type: "User" } },
        { id: 3, account: { login: "broken", type: "Organization" } },
      ]);
    const search = (q: string, count: number) =>
      nock(TEST_API).get("/search/issues").query({ q, per_page: "1" }).reply(200, { total_count: count, incomplete_results: false, items: [] });
    search('is:issue is:open label:"stripe-leak-guard" org:acme', 4);
    search('is:issue is:open label:"stripe-leak-guard" user:octocat', 1);
    nock(TEST_API).get("/search/issues").query(true).reply(403, { message: "Resource not accessible by integration" });

    const result = await countOpenIncidents({ appOctokit: testOctokit(), installationOctokit: async () => testOctokit(), log });
    expect(result).toEqual({ open: 5, installations: 3, complete: false });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("feeds the open_incidents gauge through Redis, and shows NaN (not 0) before the first count", async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.setOpenIncidentsSource(() => readOpenIncidents(redis, prefix));
    expect(await metrics.render()).toMatch(/^stripe_leak_guard_open_incidents nan$/im);
    await storeOpenIncidents(redis, prefix, 7, 1800);
    expect(await metrics.render()).toMatch(/^stripe_leak_guard_open_incidents 7$/m);
    expect(await redis.ttl(`${prefix}:slg:open-incidents`)).toBeGreaterThan(1700);
  });
});
