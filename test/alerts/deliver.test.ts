import nock from "nock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliverAlert } from "../../src/alerts/deliver.js";
import { buildAlertPayload, type AlertPayload } from "../../src/alerts/payload.js";
import { alertSettingsFrom, type AlertSettings } from "../../src/alerts/settings.js";
import { checkSignature } from "../../src/rotation/signature.js";
import { HandlerStandIn } from "../rotation/helpers/handler-stand-in.js";
import { alertJob, incidentIssueJson, leak, REPO } from "./fixtures.js";
import { standInSettings, WEBHOOK_SECRET } from "./stand-in.js";

const endpoint = new HandlerStandIn();
let settings: AlertSettings;
let payload: AlertPayload;
const { key, finding } = leak();

function channel(name: string) {
  const found = settings.channels.get(name);
  if (!found) throw new Error(`no channel ${name}`);
  return found;
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => /^127\.0\.0\.1(:\d+)?$/.test(host));
  await endpoint.start();
  settings = standInSettings(endpoint.port);
  const json = incidentIssueJson(finding);
  payload = buildAlertPayload(alertJob(finding), REPO, { ...json, labels: json.labels.map((label) => label.name) });
});
afterAll(async () => {
  await endpoint.stop();
  nock.enableNetConnect();
});
beforeEach(() => {
  endpoint.received.length = 0;
  endpoint.clearScript();
  endpoint.always({ status: 200 });
});

describe("delivering an alert", () => {
  it("signs a webhook request like the rotation calls, with the idempotency id", async () => {
    expect(await deliverAlert(channel("siem"), payload, settings)).toEqual({ type: "delivered", status: 200 });
    const [request] = endpoint.received;
    expect(request?.path).toBe("/hooks/slg");
    expect(request?.headers["idempotency-key"]).toBe(payload.id);
    expect(request?.headers["stripe-leak-guard-event"]).toBe("incident.opened");
    const signature = request?.headers["stripe-leak-guard-signature"];
    expect(checkSignature(typeof signature === "string" ? signature : undefined, request?.body ?? "", WEBHOOK_SECRET, Math.floor(Date.now() / 1000))).toBe("valid");
    expect(JSON.parse(request?.body ?? "")).toEqual(payload);
    expect(request?.body).not.toContain(key);
  });

  it("posts Slack's message format, unsigned, to the Slack URL", async () => {
    expect(await deliverAlert(channel("chat"), payload, settings)).toEqual({ type: "delivered", status: 200 });
    const [request] = endpoint.received;
    expect(request?.path).toBe("/services/T0/B0/chat-token");
    expect(request?.headers["stripe-leak-guard-signature"]).toBeUndefined();
    expect(JSON.parse(request?.body ?? "")).toMatchObject({ text: expect.stringContaining(finding.redacted), blocks: expect.any(Array) });
    expect(request?.body).not.toContain(key);
  });

  it("retries 5xx, 408 and 429 (with Retry-After), and fails for good on other 4xx and redirects", async () => {
    endpoint.answer({ status: 503 }, { status: 429, headers: { "retry-after": "3" } }, { status: 408 });
    expect(await deliverAlert(channel("siem"), payload, settings)).toMatchObject({ type: "retry", reason: 'channel "siem" (https://127.0.0.1:' + endpoint.port + ") answered HTTP 503" });
    expect(await deliverAlert(channel("siem"), payload, settings)).toMatchObject({ type: "retry", retryAfterMs: 3000 });
    expect(await deliverAlert(channel("siem"), payload, settings)).toMatchObject({ type: "retry" });

    endpoint.answer({ status: 404, json: "channel_not_found" }, { status: 302, headers: { location: "https://elsewhere.example.com/x" } });
    expect(await deliverAlert(channel("chat"), payload, settings)).toEqual({
      type: "refused",
      reason: `channel "chat" (https://127.0.0.1:${endpoint.port}) answered HTTP 404: channel_not_found`,
    });
    expect(await deliverAlert(channel("chat"), payload, settings)).toMatchObject({ type: "refused", reason: expect.stringMatching(/HTTP 302; alerts do not follow redirects$/) });
  });

  it("gives up on an endpoint that does not answer in time, as worth retrying", async () => {
    endpoint.answer("hang");
    expect(await deliverAlert(channel("siem"), payload, { ...settings, timeoutMs: 200 })).toMatchObject({ type: "retry", reason: expect.stringMatching(/did not answer within 200 ms$/) });
  });

  it("refuses loopback and private addresses unless ALERT_ALLOWED_HOSTS lists them, and untrusted certificates", async () => {
    const strict = alertSettingsFrom({ ALERT_CHANNELS: `siem=webhook:https://127.0.0.1:${endpoint.port}/hooks/slg`, ALERT_CHANNEL_SIEM_SECRET: WEBHOOK_SECRET });
    const siem = strict.channels.get("siem");
    if (!siem) throw new Error("no channel");
    expect(await deliverAlert(siem, payload, strict)).toMatchObject({ type: "refused", reason: expect.stringMatching(/loopback address.*ALERT_ALLOWED_HOSTS/) });

    const untrusted = alertSettingsFrom({
      ALERT_CHANNELS: `siem=webhook:https://127.0.0.1:${endpoint.port}/hooks/slg`,
      ALERT_CHANNEL_SIEM_SECRET: WEBHOOK_SECRET,
      ALERT_ALLOWED_HOSTS: "127.0.0.1",
    });
    const siem2 = untrusted.channels.get("siem");
    if (!siem2) throw new Error("no channel");
    expect(await deliverAlert(siem2, payload, untrusted)).toMatchObject({ type: "refused", reason: expect.stringMatching(/not trusted .*ALERT_CA_FILE/) });
    expect(endpoint.received).toEqual([]);
  });
});
