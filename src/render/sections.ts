import { REPO_CONFIG_PATH } from "../config/repo-config.js";
import { sortFindings } from "./findings-table.js";
import { describeKey, shortGuidance } from "./guidance.js";
import { code, text } from "./markdown.js";
import type { SightedFinding } from "./types.js";

/*
 * Sections shared by the PR summary comment and the check run, so both say
 * the same thing about incomplete scans, config errors and what to do.
 */

/** Keys and fingerprints listed per section before "and N more". */
const MAX_LISTED = 20;

/** Problems listed before "and N more": a 3,000-file PR must still give a postable comment. */
const MAX_PROBLEMS = 50;

function bulletList(items: readonly string[], noun: string): string[] {
  const lines = items.slice(0, MAX_PROBLEMS).map((item) => `- ${text(item)}`);
  if (items.length > MAX_PROBLEMS) lines.push(`- …and ${items.length - MAX_PROBLEMS} more ${noun}`);
  return lines;
}

/** One line per kind of advice, naming the keys it applies to; allowed keys need none. */
export function whatToDo(findings: readonly SightedFinding[]): string | undefined {
  const groups = new Map<string, { labels: Set<string>; guidance: string; keys: Set<string> }>();
  for (const { finding, allowedReason } of sortFindings(findings)) {
    if (allowedReason !== undefined) continue;
    const guidance = shortGuidance(finding);
    const group = groups.get(guidance) ?? { labels: new Set<string>(), guidance, keys: new Set<string>() };
    group.labels.add(describeKey(finding));
    group.keys.add(finding.redacted);
    groups.set(guidance, group);
  }
  if (groups.size === 0) return undefined;
  const lines = [...groups.values()].map(({ labels, guidance, keys }) => {
    const label = [...labels].join(", ");
    const listed = [...keys].slice(0, MAX_LISTED).map(code).join(", ");
    const more = keys.size > MAX_LISTED ? ` and ${keys.size - MAX_LISTED} more` : "";
    const name = label.charAt(0).toUpperCase() + label.slice(1);
    return `- **${name}** ${listed}${more}: ${guidance}`;
  });
  return ["### What to do now", "", ...lines].join("\n");
}

export function incompleteSection(incomplete: readonly string[]): string {
  return [
    "### :warning: Incomplete scan",
    "",
    "Not everything could be scanned, so this result cannot vouch for the following:",
    "",
    ...bulletList(incomplete, "parts not covered"),
  ].join("\n");
}

export function configErrorSection(errors: readonly string[]): string {
  return [
    `### :x: Config error in ${code(REPO_CONFIG_PATH)}`,
    "",
    "The configuration could not be used, so **the defaults were applied** to this scan. Fix these problems and push again:",
    "",
    ...bulletList(errors, "problems"),
  ].join("\n");
}

/** The exact YAML to paste under `allow:`, one entry per key that is not allowed yet. */
export function allowSection(findings: readonly SightedFinding[]): string | undefined {
  const entries = new Map<string, string>();
  for (const { finding, allowedReason } of sortFindings(findings)) {
    if (allowedReason === undefined && !entries.has(finding.fingerprint)) {
      entries.set(finding.fingerprint, `${finding.redacted} (${describeKey(finding)})`);
    }
  }
  if (entries.size === 0) return undefined;
  const yaml = [...entries].slice(0, MAX_LISTED).flatMap(([fingerprint, what]) => [
    `  # ${what}`,
    `  - fingerprint: ${fingerprint}`,
    '    reason: "why this key may stay, e.g. Stripe\'s documented sample key"',
  ]);
  const more = entries.size > MAX_LISTED ? [`  # …and ${entries.size - MAX_LISTED} more`] : [];
  return [
    "<details>",
    "<summary>A key that is meant to be here? Allow it</summary>",
    "",
    `Add its fingerprint under \`allow:\` in ${code(REPO_CONFIG_PATH)}, with the reason:`,
    "",
    "```yaml",
    "allow:",
    ...yaml,
    ...more,
    "```",
    "",
    "Allowing a key does not make it safe: it only records that the leak is known. Live secret and restricted keys are still reported, as allowed.",
    "",
    "</details>",
  ].join("\n");
}
