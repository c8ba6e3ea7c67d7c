/**
 * Incident changes ask for a report refresh: nothing unless the operator
 * turned the report issue on; one job per debounce window (the same data,
 * which the queue keeps once); in single-process mode one background run per
 * window, after the window ends.
 */
import nock from "nock";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { settleBackground } from "../../src/alerts/background.js";
import type { Dispatcher, JobDataByName, JobDeps, JobName } from "../../src/jobs/types.js";
import { createInProcessLock } from "../../src/lock/keyed-lock.js";
import { requestReport } from "../../src/report/request.js";
import { useReportSettings, windowEnd } from "../../src/report/settings.js";
import { testOctokit } from "../helpers/octokit.js";

const log = pino({ level: "silent" });
const dispatched: { name: JobName; data: unknown }[] = [];
const recording: Dispatcher = {
  async dispatch<N extends JobName>(name: N, data: JobDataByName[N]) {
    dispatched.push({ name, data });
  },
};

function deps(extra: Partial<JobDeps> = {}): JobDeps {
  return { octokit: testOctokit(), log, pepper: "p", lock: createInProcessLock(), ...extra };
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => {
  useReportSettings(undefined);
  nock.enableNetConnect();
});
afterEach(() => {
  dispatched.length = 0;
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("asking for a report refresh", () => {
  it("does nothing unless REPORT_ISSUE is on", async () => {
    useReportSettings({ enabled: false, intervalMs: 60_000 });
    requestReport(deps({ dispatcher: recording }), 7, "octo");
    await settleBackground();
    expect(dispatched).toEqual([]);
  });

  it("queues the same job for every change in one window, and a new one in the next", async () => {
    useReportSettings({ enabled: true, intervalMs: 600_000 });
    const start = Date.parse("2026-11-30T12:00:00Z");
    requestReport(deps({ dispatcher: recording }), 7, "octo", start + 1_000);
    requestReport(deps({ dispatcher: recording }), 7, "octo", start + 599_000);
    requestReport(deps({ dispatcher: recording }), 7, "octo", start + 600_000);
    await settleBackground();
    const job = { name: "publish-report", data: { installationId: 7, owner: "octo", repo: ".github", notBefore: start + 600_000 } };
    expect(dispatched).toEqual([job, job, { ...job, data: { ...job.data, notBefore: start + 1_200_000 } }]);
    expect(windowEnd(start, 600_000)).toBe(start + 600_000);
  });

  it("runs once per window in single-process mode", async () => {
    useReportSettings({ enabled: true, intervalMs: 300 });
    // A public .github repository: the run stops after one request, which is what is counted here.
    nock("https://api.github.com").get("/repos/octo/.github").once().reply(200, { private: false, visibility: "public" });
    const unmatched: unknown[] = [];
    const onNoMatch = (request: unknown) => unmatched.push(request);
    nock.emitter.on("no match", onNoMatch);
    const now = Date.now();
    requestReport(deps(), undefined, "octo", now);
    requestReport(deps(), undefined, "octo", now);
    await settleBackground();
    nock.emitter.removeListener("no match", onNoMatch);
    expect(unmatched).toEqual([]);
  });
});
