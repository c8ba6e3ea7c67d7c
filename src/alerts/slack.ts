/*
 * The Slack incoming-webhook message: a plain `text` (what notifications and
 * screen readers show) and Block Kit blocks with the severity, key, repository
 * and a button to the incident. Everything interpolated is escaped for Slack's
 * mrkdwn, so a repository name cannot inject a link or a mention.
 */
import type { Severity } from "../scanner/types.js";
import type { AlertPayload } from "./payload.js";

const SEVERITY_MARK: Record<Severity, string> = {
  critical: ":red_circle:",
  high: ":large_orange_circle:",
  medium: ":large_yellow_circle:",
  low: ":white_circle:",
  info: ":large_blue_circle:",
};

/** Slack's three control characters in mrkdwn. */
export function slackEscape(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function link(url: string, label: string): string {
  return `<${url.replaceAll("|", "%7C").replaceAll(">", "%3E")}|${slackEscape(label)}>`;
}

const STATUS_WORDS = {
  verification: { active: "active", "active-restricted": "active (restricted)", inactive: "inactive", unknown: "unknown" },
  rotation: { rotated: "rotated", pending: "pending", failed: "failed" },
} as const;

const FOUND_BY = { push: "a push scan", "pull-request": "a pull-request scan", backfill: "the first scan of existing files", history: "a history scan" } as const;

export interface SlackMessage {
  text: string;
  blocks: unknown[];
}

export function renderSlackMessage(payload: AlertPayload): SlackMessage {
  const { incident, repository } = payload;
  const severity = incident.severity ?? "unknown";
  const mark = incident.severity ? SEVERITY_MARK[incident.severity] : ":grey_question:";
  const fields = [
    `*Severity*\n${mark} ${severity}`,
    `*Key*\n\`${slackEscape(incident.key.redacted ?? "not shown")}\``,
    `*Repository*\n${link(repository.url, repository.fullName)}`,
    `*Incident*\n${link(incident.url, `#${incident.number}`)} (${incident.state})`,
  ];
  if (incident.verification) fields.push(`*Verification*\n${STATUS_WORDS.verification[incident.verification]}`);
  if (incident.rotation) fields.push(`*Rotation*\n${STATUS_WORDS.rotation[incident.rotation]}`);
  return {
    text: `${payload.summary} (${severity}): ${incident.url}`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `${mark} *${slackEscape(payload.summary)}*` } },
      { type: "section", fields: fields.map((text) => ({ type: "mrkdwn", text })) },
      {
        type: "actions",
        elements: [{ type: "button", text: { type: "plain_text", text: "Open the incident" }, url: incident.url, style: "danger" }],
      },
      { type: "context", elements: [{ type: "mrkdwn", text: `stripe-leak-guard · ${slackEscape(payload.type)}${payload.foundBy ? ` · found by ${FOUND_BY[payload.foundBy]}` : ""} · the key itself is never sent` }] },
    ],
  };
}
