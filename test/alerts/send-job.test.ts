/**
 * The in-process path: the send-alert processor with its in-job retries, and
 * the notifier that single-process mode uses (no queue): an endpoint that
 * fails twice then succeeds gets the alert exactly once, and the scan that
 * triggered it never waits on, or fails because of, a channel.
 */
import { Writable } from "node:stream";
import { UnrecoverableError } from "bullmq";
import nock from "nock";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { settleBackground } from "../../src/alerts/background.js";
import { alertOnOutcome, alertOnStatus } from "../../src/alerts/notify.js";
import { AlertUnavailableError, createSendAlertProcessor } from "../../src/alerts/send-job.js";
import { useAlertSettings, type AlertSettings } from "../../src/alerts/settings.js";
import { defaultRepoConfig } from "../../src/config/repo-config.js";
import type { JobDeps } from "../../src/jobs/types.js";
import { createInProcessLock } from "../../src/lock/keyed-lock.js";
import { processMetrics } from "../../src/metrics/index.js";
import { classifyError } from "../../src/queue/classify-error.js";
import { checkSignature } from "../../src/rotation/signature.js";
import { testOctokit } from "../helpers/octokit.js";
import { HandlerStandIn } from "../rotation/helpers/handler-stand-in.js";
import { alertJob, incidentIssueJson, ISSUE, leak, PEPPER, REPO, serveIssue, SHA } from "./fixtures.js";
import { standInSettings, WEBHOOK_SECRET } from "./stand-in.js";

const endpoint = new HandlerStandIn();
const { key, finding } = leak();
const lines: string[] = [];
let settings: AlertSettings;
let deps: JobDeps;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => /^127\.0\.0\.1(:\d+)?$/.test(host));
  await endpoint.start();
  settings = standInSettings(endpoint.port, { attempts: 3, baseDelayMs: 1 });
  useAlertSettings(settings);
});
afterAll(async () => {
  useAlertSettings(undefined);
  await endpoint.stop();
  nock.enableNetConnect();
});
beforeEach(() => {
  lines.length = 0;
  endpoint.received.length = 0;
  endpoint.clearScript();
  endpoint.always({ status: 200 });
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  deps = { octokit: testOctokit(), log: pino({ level: "trace" }, stream), pepper: PEPPER, lock: createInProcessLock() };
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
  // The canary: nothing sent and nothing logged holds the key.
  for (const text of [...endpoint.received.map((request) => request.body + JSON.stringify(request.headers)), ...lines]) expect(text).not.toContain(key);
});

const processor = () => createSendAlertProcessor({ settings: () => settings, sleep: async () => undefined });

describe("the send-alert job", () => {
  it("delivers exactly once to an endpoint that fails twice then succeeds, with the same id and body each time", async () => {
    serveIssue(incidentIssueJson(finding));
    endpoint.answer({ status: 503 }, { status: 502 });
    await processor()(alertJob(finding), deps);
    expect(endpoint.received.map((request) => request.headers["idempotency-key"])).toEqual(Array(3).fill(endpoint.received[0]?.headers["idempotency-key"]));
    expect(new Set(endpoint.received.map((request) => request.body)).size).toBe(1);
    for (const request of endpoint.received) {
      const signature = request.headers["stripe-leak-guard-signature"];
      expect(checkSignature(typeof signature === "string" ? signature : undefined, request.body, WEBHOOK_SECRET, Math.floor(Date.now() / 1000))).toBe("valid");
    }
    expect(lines.filter((line) => line.includes("alert delivered"))).toHaveLength(1);
    expect(await processMetrics().render()).toMatch(/stripe_leak_guard_alerts_total\{type="webhook",outcome="delivered"\} 1\n/);
  });

  it("hands a channel that keeps failing back to the queue, as a transient error", async () => {
    serveIssue(incidentIssueJson(finding));
    endpoint.always({ status: 503, headers: { "retry-after": "5" } });
    const error = await processor()(alertJob(finding), deps).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AlertUnavailableError);
    expect(classifyError(error)).toMatchObject({ kind: "transient", retryAfterMs: 5000 });
    expect(endpoint.received).toHaveLength(3);
  });

  it("fails for good on a 4xx, after one request", async () => {
    serveIssue(incidentIssueJson(finding));
    endpoint.always({ status: 400, json: "invalid_payload" });
    await expect(processor()(alertJob(finding, { channel: "chat" }), deps)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(endpoint.received).toHaveLength(1);
  });

  it("drops an alert whose issue is no longer the incident, or whose channel is gone", async () => {
    const other = incidentIssueJson(leak().finding);
    serveIssue(other);
    await processor()(alertJob(finding), deps);
    await processor()(alertJob(finding, { channel: "removed" }), deps);
    expect(endpoint.received).toEqual([]);
  });
});

describe("notifying after an incident change (single-process mode)", () => {
  const input = {
    repo: { owner: REPO.owner, repo: REPO.repo, repoId: 4242, htmlUrl: REPO.htmlUrl },
    sightings: [{ finding, location: { path: finding.path, line: finding.line, commitSha: SHA } }],
    config: { ...defaultRepoConfig, alerts: { channels: ["siem", "nowhere"] } },
  };

  it("sends one alert per routed channel in the background and reports unknown channel names", async () => {
    serveIssue(incidentIssueJson(finding));
    endpoint.answer({ status: 500 }, { status: 500 });
    await alertOnOutcome(deps, input, { fingerprint: finding.fingerprint, issueNumber: ISSUE, action: "created" });
    await settleBackground();
    expect(endpoint.received).toHaveLength(3);
    expect(endpoint.received.map((request) => request.path)).toEqual(Array(3).fill("/hooks/slg"));
    expect(lines.some((line) => line.includes("did not define") && line.includes("nowhere"))).toBe(true);
  });

  it("alerts on created and reopened only", async () => {
    await alertOnOutcome(deps, input, { fingerprint: finding.fingerprint, issueNumber: ISSUE, action: "commented" });
    await alertOnOutcome(deps, input, { fingerprint: finding.fingerprint, issueNumber: ISSUE, action: "unchanged" });
    await alertOnOutcome(deps, input, { fingerprint: finding.fingerprint, action: "skipped" });
    await settleBackground();
    expect(endpoint.received).toEqual([]);
  });

  it("never throws into the caller, whatever the channel does", async () => {
    serveIssue(incidentIssueJson(finding));
    endpoint.always({ status: 410 });
    await expect(alertOnOutcome(deps, input, { fingerprint: finding.fingerprint, issueNumber: ISSUE, action: "reopened" })).resolves.toBeUndefined();
    await settleBackground();
    expect(endpoint.received).toHaveLength(1);
    expect(lines.some((line) => line.includes("alert refused"))).toBe(true);
  });

  it("alerts on a changed verification or rotation status only, routed by the repo config", async () => {
    const job = { installationId: 7, owner: REPO.owner, repo: REPO.repo, repoId: 4242, htmlUrl: REPO.htmlUrl, issueNumber: ISSUE, fingerprint: finding.fingerprint };
    // Unchanged ("key: active" was already there) and "unknown" make no request at all.
    await alertOnStatus(deps, job, { event: "verification", status: "active", before: ["key: active"], requestId: "c1" });
    await alertOnStatus(deps, job, { event: "verification", status: "unknown", before: [], requestId: "c2" });
    await settleBackground();
    expect(endpoint.received).toEqual([]);

    const config = Buffer.from("alerts:\n  channels: [chat]\n").toString("base64");
    nock("https://api.github.com").get("/repos/octo/shop/contents/.github%2Fstripe-leak-guard.yml").reply(200, { type: "file", content: config, size: 30 });
    serveIssue(incidentIssueJson(finding, ["rotation: rotated"]));
    await alertOnStatus(deps, job, { event: "rotation", status: "rotated", before: ["key: active"], requestId: "c3" });
    await settleBackground();
    expect(endpoint.received.map((request) => request.path)).toEqual(["/services/T0/B0/chat-token"]);
    expect(JSON.parse(endpoint.received[0]?.body ?? "{}")).toMatchObject({ text: expect.stringContaining("rotation changed") });
  });
});
