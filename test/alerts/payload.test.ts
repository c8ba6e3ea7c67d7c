import { describe, expect, it } from "vitest";
import { alertIdempotencyId, reopenEventKey } from "../../src/alerts/events.js";
import { buildAlertPayload } from "../../src/alerts/payload.js";
import { renderSlackMessage, slackEscape } from "../../src/alerts/slack.js";
import { alertJob, incidentIssueJson, leak, REPO } from "./fixtures.js";

function issueOf(json: ReturnType<typeof incidentIssueJson>) {
  return { number: json.number, state: json.state, body: json.body, labels: json.labels.map((label) => label.name) };
}

describe("the alert payload", () => {
  it("carries the redacted key, kind, severity, repository and a link, never the key", () => {
    const { key, finding } = leak();
    const payload = buildAlertPayload(alertJob(finding), REPO, issueOf(incidentIssueJson(finding)));
    expect(payload).toEqual({
      version: 1,
      id: alertIdempotencyId(alertJob(finding)),
      type: "incident.opened",
      summary: `Stripe key leak: live secret key ${finding.redacted} in octo/shop`,
      installationId: 7,
      foundBy: null,
      repository: { id: 4242, fullName: "octo/shop", url: "https://github.com/octo/shop" },
      incident: {
        number: 12,
        url: "https://github.com/octo/shop/issues/12",
        state: "open",
        severity: "critical",
        key: { kind: "secret", mode: "live", redacted: finding.redacted, fingerprint: finding.fingerprint },
        verification: null,
        rotation: null,
      },
    });
    const slack = JSON.stringify(renderSlackMessage(payload));
    for (const text of [JSON.stringify(payload), slack]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(8, 40));
    }
  });

  it("reads the verification and rotation status from the labels", () => {
    const { finding } = leak("rk");
    const payload = buildAlertPayload(
      alertJob(finding, { event: "rotation", eventKey: "rotated:comment-1" }),
      REPO,
      issueOf(incidentIssueJson(finding, ["key: inactive", "rotation: rotated"])),
    );
    expect(payload.type).toBe("incident.rotation_changed");
    expect(payload.incident).toMatchObject({ verification: "inactive", rotation: "rotated", key: { kind: "restricted" } });
    expect(payload.summary).toBe(`Stripe key leak: rotation changed: live restricted key ${finding.redacted} in octo/shop; the rotation handler rotated the key`);
  });

  it("passes on nothing a person typed into the issue: a pasted key in the Key row or title is dropped", () => {
    const { key, finding } = leak();
    const json = incidentIssueJson(finding);
    json.body = json.body.replace(finding.redacted, key);
    json.title = `Leaked ${key}`;
    const payload = buildAlertPayload(alertJob(finding), REPO, issueOf(json));
    expect(payload.incident.key.redacted).toBeNull();
    expect(JSON.stringify(payload)).not.toContain(key);
    expect(JSON.stringify(renderSlackMessage(payload))).not.toContain(key);
  });

  it("has one idempotency id per (incident, event), the same on every retry", () => {
    const base = { repoId: 1, fingerprint: "ab".repeat(32), event: "reopened" as const };
    const first = reopenEventKey([{ commitSha: "a", path: "x", line: 1 }, { commitSha: "b", path: "y", line: 2 }]);
    const again = reopenEventKey([{ commitSha: "b", path: "y", line: 2 }, { commitSha: "a", path: "x", line: 1 }]);
    expect(again).toBe(first);
    expect(alertIdempotencyId({ ...base, eventKey: first })).toBe(alertIdempotencyId({ ...base, eventKey: again }));
    expect(alertIdempotencyId({ ...base, eventKey: first })).not.toBe(alertIdempotencyId({ ...base, event: "opened", eventKey: first }));
    expect(alertIdempotencyId({ ...base, eventKey: first })).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe("the Slack message", () => {
  it("shows severity, key, repository and a button to the incident", () => {
    const { finding } = leak();
    const message = renderSlackMessage(buildAlertPayload(alertJob(finding), REPO, issueOf(incidentIssueJson(finding, ["key: active"]))));
    expect(message.text).toBe(`Stripe key leak: live secret key ${finding.redacted} in octo/shop (critical): https://github.com/octo/shop/issues/12`);
    expect(message.blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: `:red_circle: *Stripe key leak: live secret key ${finding.redacted} in octo/shop*` } },
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: "*Severity*\n:red_circle: critical" },
          { type: "mrkdwn", text: `*Key*\n\`${finding.redacted}\`` },
          { type: "mrkdwn", text: "*Repository*\n<https://github.com/octo/shop|octo/shop>" },
          { type: "mrkdwn", text: "*Incident*\n<https://github.com/octo/shop/issues/12|#12> (open)" },
          { type: "mrkdwn", text: "*Verification*\nactive" },
        ],
      },
      { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open the incident" }, url: "https://github.com/octo/shop/issues/12", style: "danger" }] },
      { type: "context", elements: [{ type: "mrkdwn", text: "stripe-leak-guard · incident.opened · the key itself is never sent" }] },
    ]);
  });

  it("says which scan found the key, so a first-install backfill can be routed apart", () => {
    const { finding } = leak();
    const payload = buildAlertPayload(alertJob(finding, { foundBy: "backfill" }), REPO, issueOf(incidentIssueJson(finding)));
    expect(payload.foundBy).toBe("backfill");
    expect(renderSlackMessage(payload).blocks.at(-1)).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "stripe-leak-guard · incident.opened · found by the first scan of existing files · the key itself is never sent" }],
    });
  });

  it("escapes Slack's control characters", () => {
    expect(slackEscape("<!channel> & <https://evil|x>")).toBe("&lt;!channel&gt; &amp; &lt;https://evil|x&gt;");
  });
});
