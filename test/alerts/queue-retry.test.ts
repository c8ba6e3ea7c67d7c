/**
 * Done-when: an endpoint that fails twice then succeeds gets the alert
 * exactly once, and carries no secret, with the retries made by BullMQ
 * against the real Redis (own prefix, short backoff, one attempt per job run
 * so every retry is the queue's). The alert goes in through the notifier,
 * as the incident path sends it.
 */
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import nock from "nock";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { settleBackground } from "../../src/alerts/background.js";
import { alertOnOutcome } from "../../src/alerts/notify.js";
import { createSendAlertProcessor } from "../../src/alerts/send-job.js";
import { useAlertSettings, type AlertSettings } from "../../src/alerts/settings.js";
import { defaultRepoConfig } from "../../src/config/repo-config.js";
import type { JobDeps } from "../../src/jobs/types.js";
import { createInProcessLock } from "../../src/lock/keyed-lock.js";
import { createProducerConnection } from "../../src/queue/connection.js";
import { createBullDispatcher, type BullDispatcher } from "../../src/queue/dispatcher.js";
import { startWorkerRuntime, type WorkerRuntime } from "../../src/queue/worker-runtime.js";
import { testOctokit } from "../helpers/octokit.js";
import { connect, deleteWithPrefix, keysWithPrefix, SHARED_REDIS_URL, uniquePrefix } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";
import { HandlerStandIn } from "../rotation/helpers/handler-stand-in.js";
import { incidentIssueJson, ISSUE, leak, PEPPER, REPO, serveIssue, SHA } from "./fixtures.js";
import { standInSettings, WEBHOOK_SECRET } from "./stand-in.js";

const prefix = uniquePrefix("alerts");
const endpoint = new HandlerStandIn();
const log = pino({ level: "silent" });
const lock = createInProcessLock();
let admin: Redis;
let dispatcher: BullDispatcher;
let runtime: WorkerRuntime;
let notify: Queue;
let settings: AlertSettings;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => /^127\.0\.0\.1(:\d+)?$/.test(host));
  await endpoint.start();
  settings = standInSettings(endpoint.port, { attempts: 1 });
  useAlertSettings(settings);
  admin = connect();
  notify = new Queue("notify", { connection: admin, prefix });
  dispatcher = createBullDispatcher({ connection: createProducerConnection(SHARED_REDIS_URL), prefix, log });
  runtime = await startWorkerRuntime({
    redisUrl: SHARED_REDIS_URL,
    prefix,
    queues: ["notify"],
    processors: { "send-alert": createSendAlertProcessor({ settings: () => settings }) },
    makeDeps: async (_name, _data, jobLog) => ({ octokit: testOctokit(), log: jobLog, pepper: PEPPER, lock }),
    log,
    backoff: { baseMs: 50, maxMs: 200 },
  });
});

afterAll(async () => {
  await runtime.close();
  await dispatcher.close();
  await notify.close();
  await deleteWithPrefix(admin, prefix);
  admin.disconnect();
  useAlertSettings(undefined);
  await endpoint.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

beforeEach(() => {
  endpoint.received.length = 0;
  endpoint.clearScript();
  endpoint.always({ status: 200 });
});

/** Every string value stored under our prefix (job hashes, dedupe keys...). */
async function everythingInRedis(): Promise<string> {
  const values: string[] = [];
  for (const key of await keysWithPrefix(admin, prefix)) {
    const type = await admin.type(key);
    if (type === "hash") values.push(JSON.stringify(await admin.hgetall(key)));
    else if (type === "string") values.push((await admin.get(key)) ?? "");
    else if (type === "list") values.push(...(await admin.lrange(key, 0, -1)));
    else if (type === "zset") values.push(...(await admin.zrange(key, 0, -1)));
    values.push(key);
  }
  return values.join("\n");
}

function sightingInput(finding: ReturnType<typeof leak>["finding"]) {
  return {
    repo: { owner: REPO.owner, repo: REPO.repo, repoId: 4242, htmlUrl: REPO.htmlUrl },
    sightings: [{ finding, location: { path: finding.path, line: finding.line, commitSha: SHA } }],
    config: { ...defaultRepoConfig, alerts: { channels: ["siem"] } },
  };
}

function depsWithQueue(): JobDeps {
  return { octokit: testOctokit(), log, pepper: PEPPER, lock, dispatcher, installationId: 7 };
}

describe("send-alert jobs on BullMQ", () => {
  it("an endpoint that fails twice then succeeds gets the alert exactly once, and no secret reaches it or Redis", async () => {
    const { key, finding } = leak();
    serveIssue(incidentIssueJson(finding), 3);
    endpoint.answer({ status: 503 }, { status: 502 });
    await alertOnOutcome(depsWithQueue(), sightingInput(finding), { fingerprint: finding.fingerprint, issueNumber: ISSUE, action: "created" });
    await settleBackground();
    await waitFor(async () => (await notify.getCompletedCount()) === 1, "the alert job to complete");

    expect(endpoint.received).toHaveLength(3);
    expect(new Set(endpoint.received.map((request) => request.headers["idempotency-key"])).size).toBe(1);
    expect(new Set(endpoint.received.map((request) => request.body)).size).toBe(1);
    const [completed] = await notify.getCompleted();
    expect(completed?.attemptsMade).toBe(3);
    expect(nock.pendingMocks()).toEqual([]);

    const stored = await everythingInRedis();
    for (const secret of [key, WEBHOOK_SECRET, "chat-token", "/hooks/slg"]) expect(stored).not.toContain(secret);
    for (const request of endpoint.received) expect(request.body + JSON.stringify(request.headers)).not.toContain(key);
  });

  it("is queued from a worker's own deps too (its shared Redis, no dispatcher)", async () => {
    const { finding } = leak();
    serveIssue(incidentIssueJson(finding), 1);
    const deps: JobDeps = { octokit: testOctokit(), log, pepper: PEPPER, lock, redis: { client: admin, prefix }, installationId: 7 };
    const before = await notify.getCompletedCount();
    await alertOnOutcome(deps, sightingInput(finding), { fingerprint: finding.fingerprint, issueNumber: ISSUE, action: "reopened" });
    await settleBackground();
    await waitFor(async () => (await notify.getCompletedCount()) === before + 1, "the alert job to complete");
    expect(endpoint.received).toHaveLength(1);
    expect(JSON.parse(endpoint.received[0]?.body ?? "{}")).toMatchObject({ type: "incident.reopened" });
  });

  it("a 4xx fails the job for good after one request", async () => {
    const { finding } = leak();
    serveIssue(incidentIssueJson(finding), 1);
    endpoint.always({ status: 403 });
    await alertOnOutcome(depsWithQueue(), sightingInput(finding), { fingerprint: finding.fingerprint, issueNumber: ISSUE, action: "created" });
    await settleBackground();
    await waitFor(async () => (await notify.getFailedCount()) === 1, "the alert job to fail");
    expect(endpoint.received).toHaveLength(1);
    const [failed] = await notify.getFailed();
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/alert refused: channel "siem" .* answered HTTP 403/);
  });
});
