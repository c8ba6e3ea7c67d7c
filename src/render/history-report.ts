/*
 * The comment that answers `/stripe-leak-guard scan-history`: what was
 * scanned, and per key the commit that introduced it and its incident.
 * Redacted keys and fingerprints only.
 */
import { issueUrl } from "./links.js";
import { renderLocation } from "./location.js";
import { code, mention, plural, text } from "./markdown.js";
import type { Location, RepoView } from "./types.js";

export interface HistoryReportKey {
  redacted: string;
  severity: string;
  /** Where the key first appeared: the introducing commit. */
  introduced: Location;
  /** Author and date of that commit. */
  author?: string;
  date?: string;
  /** Other paths it was added to. */
  otherPaths: number;
  incident?: { number: number; action: "created" | "commented" | "reopened" | "unchanged" };
  /** Why no incident: an allow entry, a kind or mode the config does not raise. */
  noIncident?: string;
}

export interface HistoryReportInput {
  repo: RepoView;
  requestedBy?: string;
  commits: number;
  durationMs: number;
  keys: readonly HistoryReportKey[];
  binarySkipped: number;
}

const ACTION: Record<NonNullable<HistoryReportKey["incident"]>["action"], string> = {
  created: "opened",
  commented: "updated",
  reopened: "reopened",
  unchanged: "already recorded",
};

const MAX_KEYS_SHOWN = 50;

export function renderHistoryReport(input: HistoryReportInput): string {
  const { repo, keys } = input;
  const opened = keys.filter((key) => key.incident?.action === "created").length;
  const updated = keys.filter((key) => key.incident && key.incident.action !== "created" && key.incident.action !== "unchanged").length;
  const seconds = Math.max(1, Math.round(input.durationMs / 1000));
  const who = input.requestedBy ? `${mention(input.requestedBy)}, the` : "The";
  const lines = [
    `${who} full-history scan of this repository is done: **${plural(input.commits, "commit")}** scanned in ${seconds} s, ` +
      `**${plural(keys.length, "key")}** found, ${plural(opened, "incident")} opened and ${updated} updated.`,
  ];
  if (keys.length === 0) {
    lines.push("", "No Stripe key was ever added in any branch or tag of this repository.");
  } else {
    lines.push("", "| Key | Severity | Introduced | Incident |", "|---|---|---|---|");
    for (const key of keys.slice(0, MAX_KEYS_SHOWN)) {
      const when = [key.author ? `by ${text(key.author)}` : "", key.date ? `on ${text(key.date.slice(0, 10))}` : ""].filter(Boolean).join(" ");
      const more = key.otherPaths > 0 ? ` (and ${plural(key.otherPaths, "other path")})` : "";
      const incident = key.incident ? `[#${key.incident.number}](${issueUrl(repo, key.incident.number)}) ${ACTION[key.incident.action]}` : text(key.noIncident ?? "none");
      lines.push(`| ${code(key.redacted)} | ${key.severity} | ${renderLocation(repo, key.introduced).replaceAll("|", "\\|")} ${when}${more} | ${incident} |`);
    }
    if (keys.length > MAX_KEYS_SHOWN) lines.push("", `…and ${plural(keys.length - MAX_KEYS_SHOWN, "more key")}; each has its incident issue.`);
    lines.push("", "A key stays usable until it is rolled in Stripe, even after it is removed from the code: follow the runbook in each incident.");
  }
  if (input.binarySkipped > 0) lines.push("", `${plural(input.binarySkipped, "binary file change")} ${input.binarySkipped === 1 ? "was" : "were"} not scanned.`);
  return `${lines.join("\n")}\n`;
}

export function renderHistoryFailure(input: { requestedBy?: string; reason: string }): string {
  const who = input.requestedBy ? `${mention(input.requestedBy)}, the` : "The";
  return `${who} full-history scan could not finish: ${text(input.reason)}. Nothing was reported as clean; run \`/stripe-leak-guard scan-history\` again to retry.\n`;
}
