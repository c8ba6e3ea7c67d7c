import { renderFindingsTable } from "./findings-table.js";
import { commitUrl, shortSha } from "./links.js";
import { SUMMARY_MARKER } from "./markers.js";
import { code, plural, truncateMarkdown } from "./markdown.js";
import { allowSection, configErrorSection, incompleteSection, whatToDo } from "./sections.js";
import type { PrSummaryInput } from "./types.js";

/** GitHub's limit for an issue or pull-request comment body, in characters. */
export const COMMENT_LIMIT = 65_536;

function headline(input: PrSummaryInput): string {
  const count = input.findings.length;
  if (count > 0) {
    return (
      `:rotating_light: **${plural(count, "Stripe key")} found in this pull request.** ` +
      `${count === 1 ? "It is" : "They are"} in the branch's history now: removing ${count === 1 ? "it" : "them"} in a later commit does not make ${count === 1 ? "it" : "them"} safe.`
    );
  }
  if (input.incomplete.length > 0) {
    return ":warning: **Incomplete scan.** No Stripe keys were found in the parts that were scanned, but not everything was covered (see below).";
  }
  return ":white_check_mark: **No Stripe keys found.** This pull request is clean.";
}

/** The one summary comment per PR (starts with SUMMARY_MARKER), edited in place on later pushes. */
export function renderPrSummary(input: PrSummaryInput): string {
  const sections: string[] = [`${SUMMARY_MARKER}\n## Stripe key scan`, headline(input)];
  if (input.findings.length > 0) {
    sections.push(renderFindingsTable(input.repo, input.findings, { incidents: input.incidents }));
    const todo = whatToDo(input.findings);
    if (todo) sections.push(input.incidents.size > 0 ? `${todo}\n\nThe linked incident issues carry the full runbook for each key.` : todo);
  }
  if (input.incomplete.length > 0) sections.push(incompleteSection(input.incomplete));
  if (input.configErrors.length > 0) sections.push(configErrorSection(input.configErrors));
  const allow = allowSection(input.findings);
  if (allow) sections.push(allow);
  sections.push(
    `<sub>Scanned at [${code(shortSha(input.headSha))}](${commitUrl(input.repo, input.headSha)}) by stripe-leak-guard. ` +
      "This comment is updated on every push.</sub>",
  );
  // Truncation keeps the head, so the marker that finds this comment again survives.
  return truncateMarkdown(`${sections.join("\n\n")}\n`, COMMENT_LIMIT, "_…truncated: this summary is longer than GitHub allows._");
}
