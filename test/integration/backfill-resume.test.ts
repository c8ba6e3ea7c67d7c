/**
 * A backfill on the BullMQ "backfill" queue (real Redis, nock for GitHub):
 * the worker stops halfway, a new one starts, and the rest is finished
 * without a second tarball request for any repository already done. A
 * redelivered installation event then queues nothing.
 */
import type { Redis } from "ioredis";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backfillInstallationProcessor } from "../../src/jobs/backfill-installation.js";
import { backfillRepoProcessor } from "../../src/jobs/backfill-repo.js";
import { backfillServices } from "../../src/jobs/backfill-services.js";
import type { JobDeps } from "../../src/jobs/types.js";
import { createInProcessLock } from "../../src/lock/keyed-lock.js";
import { startWorkerRuntime, type ProcessorTable, type WorkerRuntime } from "../../src/queue/worker-runtime.js";
import { buildRepoTarball } from "../backfill/tar-writer.js";
import { captureLog } from "../helpers/probot.js";
import { TEST_API, testOctokit } from "../helpers/octokit.js";
import { connect, deleteWithPrefix, SHARED_REDIS_URL, uniquePrefix } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";

const prefix = uniquePrefix("backfill");
const INSTALLATION = 4242;
const OWNER = "resume-org";
const REPOS = 10;
const captured = captureLog("info");
let admin: Redis;
const runtimes: WorkerRuntime[] = [];

function deps(): JobDeps {
  return { octokit: testOctokit(), log: captured.log, pepper: "resume-test-pepper-0123456789", lock: createInProcessLock(), redis: { client: admin, prefix } };
}

const repos = Array.from({ length: REPOS }, (_, i) => ({ id: 9_000 + i, name: `r${i}`, owner: { login: OWNER }, html_url: `https://github.com/${OWNER}/r${i}`, size: 5, archived: false }));

beforeAll(() => {
  process.env.BACKFILL_REPOS_PER_MINUTE = "600";
  admin = connect();
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});

afterAll(async () => {
  for (const runtime of runtimes) await runtime.close().catch(() => undefined);
  await deleteWithPrefix(admin, prefix);
  admin.disconnect();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("backfill resume across worker restarts", () => {
  it("finishes the rest after a stop halfway, never fetching a done repository again", async () => {
    const calls = new Map<string, number>();
    const api = nock(TEST_API);
    api.get("/installation/repositories").query(true).reply(200, { total_count: REPOS, repositories: repos });
    for (const repo of repos) {
      const tarball = buildRepoTarball(`${OWNER}-${repo.name}-0000000`, { "a.txt": "nothing secret here\n" });
      // Exactly once each: a second request would find no interceptor and fail the job.
      api.get(`/repos/${OWNER}/${repo.name}/tarball`).reply(() => {
        calls.set(repo.name, (calls.get(repo.name) ?? 0) + 1);
        return [200, tarball];
      });
    }

    await backfillInstallationProcessor({ installationId: INSTALLATION, owner: OWNER, repo: "*", deliveryId: "delivery-1" }, deps());
    const store = backfillServices(deps()).store;
    expect(await store.progress(INSTALLATION)).toEqual({ done: 0, total: REPOS });

    let finished = 0;
    const workers: { first?: WorkerRuntime } = {};
    let stopped: Promise<void> | undefined;
    const processors: ProcessorTable = {
      "backfill-repo": async (data, jobDeps) => {
        await backfillRepoProcessor(data, jobDeps);
        finished++;
        // Stop the first worker once half the repositories are done (it drains its active job, then exits).
        if (finished === REPOS / 2 && workers.first) stopped = workers.first.close();
      },
    };
    const start = () =>
      startWorkerRuntime({
        redisUrl: SHARED_REDIS_URL,
        prefix,
        processors,
        makeDeps: async () => deps(),
        log: captured.log,
        concurrency: 1,
        queues: ["backfill"],
        backoff: { baseMs: 50, maxMs: 200 },
      });

    workers.first = await start();
    runtimes.push(workers.first);
    await waitFor(async () => stopped !== undefined, "the first worker to stop halfway");
    await stopped;
    const halfway = await store.progress(INSTALLATION);
    expect(halfway.done).toBeGreaterThanOrEqual(REPOS / 2);
    expect(halfway.done).toBeLessThan(REPOS);

    const second = await start();
    runtimes.push(second);
    await waitFor(async () => (await store.progress(INSTALLATION)).done === REPOS, "the second worker to finish");
    await second.close();

    expect(nock.pendingMocks()).toEqual([]);
    expect(calls.size).toBe(REPOS);
    expect([...calls.values()].every((count) => count === 1)).toBe(true);
    expect(captured.lines.join("")).toContain("backfill of the installation finished");

    // The installation event redelivered (or a later "added" event): nothing is queued, nothing fetched.
    api.get("/installation/repositories").query(true).reply(200, { total_count: REPOS, repositories: repos });
    await backfillInstallationProcessor({ installationId: INSTALLATION, owner: OWNER, repo: "*", deliveryId: "delivery-2" }, deps());
    expect(captured.lines.join("")).toContain('"queued":0,"alreadyDone":10');
    expect(nock.pendingMocks()).toEqual([]);

    // A worker killed after a repository was recorded done, but before BullMQ heard the job finish:
    // the stalled job runs again and asks GitHub for nothing (no interceptor is left to answer).
    const repo = repos[3]!;
    await backfillRepoProcessor({ installationId: INSTALLATION, owner: OWNER, repo: repo.name, repoId: repo.id, backfillId: "delivery-1" }, deps());
    expect(captured.lines.join("")).toContain("repository already done; not fetched again");
  }, 60_000);
});
