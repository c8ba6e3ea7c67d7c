/** An alert channel the operator never defined shows up with the scan's other config errors, on the check run and PR summary. */
import nock from "nock";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { alertSettingsFrom, useAlertSettings } from "../../src/alerts/settings.js";
import { reviewScan } from "../../src/jobs/review-scan.js";
import { testOctokit } from "../helpers/octokit.js";
import { leak, SHA } from "./fixtures.js";

beforeAll(() => {
  nock.disableNetConnect();
  useAlertSettings(alertSettingsFrom({ ALERT_CHANNELS: "security=slack:https://hooks.slack.com/services/a" }));
});
afterAll(() => {
  useAlertSettings(undefined);
  nock.enableNetConnect();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

it("reports alerts.channels names the operator did not define as config errors, and still scans", async () => {
  const config = Buffer.from("alerts:\n  channels: [security, pagerduty]\n").toString("base64");
  nock("https://api.github.com").get("/repos/octo/shop/contents/.github%2Fstripe-leak-guard.yml").reply(200, { type: "file", content: config, size: 40 });
  const { finding } = leak();
  const reviewed = await reviewScan(testOctokit(), { owner: "octo", repo: "shop" }, {
    findings: [{ finding, location: { path: finding.path, line: finding.line, commitSha: SHA }, inPatch: true }],
    binarySkipped: [],
    gaps: [],
    blobsFetched: 0,
  });
  expect(reviewed.findings).toHaveLength(1);
  expect(reviewed.config.alerts.channels).toEqual(["security", "pagerduty"]);
  expect(reviewed.configErrors).toEqual(['alerts.channels: "pagerduty" is not an alert channel (the operator defined: security); alerts skip it']);
});
