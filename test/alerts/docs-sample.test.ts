/**
 * docs/alerts-and-reports.md must not lie: its signature check is extracted
 * and run against alerts signed by the App's own code, and its sample payload
 * has the fields the App sends.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertRequest } from "../../src/alerts/deliver.js";
import { buildAlertPayload } from "../../src/alerts/payload.js";
import { alertSettingsFrom } from "../../src/alerts/settings.js";
import { alertJob, incidentIssueJson, leak, REPO } from "./fixtures.js";

const SECRET = "docs-sample-alert-secret";
const doc = readFileSync(new URL("../../docs/alerts-and-reports.md", import.meta.url), "utf8");
let dir = "";
let verify: (rawBody: string, header: string, secret: string, toleranceSeconds?: number) => boolean;

function block(language: string, after: string): string {
  const section = doc.slice(doc.indexOf(after));
  const match = new RegExp("```" + language + "\\n([\\s\\S]*?)```").exec(section);
  if (!match?.[1]) throw new Error(`no ${language} block after "${after}" in docs/alerts-and-reports.md`);
  return match[1];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "slg-alert-doc-"));
  const file = join(dir, "verify.mjs");
  writeFileSync(file, block("js", "### Verifying the signature"));
  ({ verify } = (await import(pathToFileURL(file).href)) as { verify: typeof verify });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("docs/alerts-and-reports.md", () => {
  const { finding } = leak();
  const json = incidentIssueJson(finding);
  const payload = buildAlertPayload(alertJob(finding), REPO, { ...json, labels: json.labels.map((label) => label.name) });
  const settings = alertSettingsFrom({ ALERT_CHANNELS: "siem=webhook:https://siem.example.com/x", ALERT_CHANNEL_SIEM_SECRET: SECRET });
  const channel = settings.channels.get("siem");

  it("its signature check accepts the App's requests and refuses tampered, foreign or old ones", () => {
    if (!channel) throw new Error("no channel");
    const now = Math.floor(Date.now() / 1000);
    const request = alertRequest(channel, payload, now);
    const header = request.headers["Stripe-Leak-Guard-Signature"] ?? "";
    expect(verify(request.body, header, SECRET)).toBe(true);
    expect(verify(request.body.replace("critical", "low"), header, SECRET)).toBe(false);
    expect(verify(request.body, header, "another-secret-entirely")).toBe(false);
    const old = alertRequest(channel, payload, now - 3600);
    expect(verify(old.body, old.headers["Stripe-Leak-Guard-Signature"] ?? "", SECRET)).toBe(false);
  });

  it("its sample payload has exactly the fields the App sends", () => {
    const sample = JSON.parse(block("json", "## The webhook request")) as Record<string, unknown>;
    const shape = (value: unknown): unknown =>
      value !== null && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([name, item]) => [name, shape(item)])) : typeof value;
    const sent = JSON.parse(JSON.stringify(payload)) as Record<string, unknown>;
    // null in the sample stands for a value the App may leave empty.
    expect(Object.keys(sample).sort()).toEqual(Object.keys(sent).sort());
    expect(Object.keys(sample.incident as object).sort()).toEqual(Object.keys(sent.incident as object).sort());
    expect(shape((sample.incident as { key: unknown }).key)).toEqual(shape((sent.incident as { key: unknown }).key));
    expect(shape(sample.repository)).toEqual(shape(sent.repository));
  });
});
