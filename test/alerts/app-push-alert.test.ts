/**
 * Through the whole App in single-process mode: a push opens an incident, and
 * the operator's channels hear of it (the default route, since the repository
 * has no config). Both endpoints fail twice, then succeed: each gets the
 * alert exactly once, and nothing they receive holds the key.
 */
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { settleBackground } from "../../src/alerts/background.js";
import { useAlertSettings } from "../../src/alerts/settings.js";
import { fakeKey } from "../helpers/fake-keys.js";
import { testProbot } from "../helpers/probot.js";
import { FakeGitHub, fakeSha } from "../fixtures/github/fake-github.js";
import { pushEvent } from "../fixtures/github/payloads.js";
import { HandlerStandIn } from "../rotation/helpers/handler-stand-in.js";
import { standInSettings } from "./stand-in.js";

const endpoint = new HandlerStandIn();
let fake: FakeGitHub;

beforeAll(async () => {
  await endpoint.start();
  useAlertSettings(standInSettings(endpoint.port, { attempts: 3, baseDelayMs: 1 }, { ALERT_DEFAULT_CHANNELS: "chat,siem" }));
});
afterAll(async () => {
  useAlertSettings(undefined);
  await endpoint.stop();
});
beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => /^127\.0\.0\.1(:\d+)?$/.test(host));
  fake = new FakeGitHub();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

it("a push that opens an incident alerts every default channel exactly once, without the key", async () => {
  const key = fakeKey("sk", "live");
  const before = fakeSha("main-head");
  const after = fake.addCommit("c1", [{ filename: "config/stripe.ts", content: `export const key = "${key}";\n` }]);
  fake.setComparison(before, after, [after]);
  fake.serve("token", "compare").allow("issues", "issue-comments", "labels", "contents");
  endpoint.answer({ status: 503 }, { status: 503 }, { status: 502 }, { status: 502 });
  const { probot, log } = await testProbot();

  await probot.receive(pushEvent(fake, { before, after }));
  expect(fake.incidents()).toHaveLength(1);
  await settleBackground();

  const byPath = (path: string) => endpoint.received.filter((request) => request.path.startsWith(path));
  // Four failures shared between the two channels, then one success each.
  expect(endpoint.received).toHaveLength(6);
  const chat = byPath("/services/");
  const siem = byPath("/hooks/");
  expect(chat.length + siem.length).toBe(6);
  expect(JSON.parse(chat.at(-1)?.body ?? "{}")).toMatchObject({ text: expect.stringMatching(/^Stripe key leak: live secret key sk_live_…\w{4} in /) });
  expect(JSON.parse(siem.at(-1)?.body ?? "{}")).toMatchObject({ type: "incident.opened", foundBy: "push", incident: { severity: "critical", key: { kind: "secret" } } });
  expect(new Set(siem.map((request) => request.headers["idempotency-key"])).size).toBe(1);
  for (const text of [...endpoint.received.map((request) => request.body), ...log.lines]) expect(text).not.toContain(key);
  expect(log.lines.filter((line) => line.includes("alert delivered"))).toHaveLength(2);
});
