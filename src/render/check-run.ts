import type { Severity } from "../scanner/index.js";
import { severityAtLeast } from "../scanner/index.js";
import { renderFindingsTable, sortFindings } from "./findings-table.js";
import { describeKey, shortGuidance } from "./guidance.js";
import { code, plural, truncateMarkdown } from "./markdown.js";
import { allowSection, configErrorSection, incompleteSection, whatToDo } from "./sections.js";
import type { CheckAnnotation, CheckRunInput, RenderedCheckRun, SightedFinding } from "./types.js";

/** GitHub's limit for a check run's output.summary and output.text, in characters. */
export const CHECK_OUTPUT_LIMIT = 65_535;

const TRUNCATED = "_…truncated: this output is longer than GitHub allows. Every finding is still annotated on its line._";

function blocks(sighted: SightedFinding, failOn: Severity): boolean {
  return sighted.allowedReason === undefined && severityAtLeast(sighted.finding.severity, failOn);
}

/** failure at or above the threshold; neutral for anything short of a clean, complete scan; success only then. */
export function checkConclusion(input: Pick<CheckRunInput, "findings" | "failOn" | "incomplete" | "configErrors">): RenderedCheckRun["conclusion"] {
  if (input.findings.some((sighted) => blocks(sighted, input.failOn))) return "failure";
  if (input.findings.length > 0 || input.incomplete.length > 0 || input.configErrors.length > 0) return "neutral";
  return "success";
}

/** "1 live secret key, 2 test secret keys" for the title; the three most severe kinds. */
function breakdown(findings: readonly SightedFinding[]): string {
  const counts = new Map<string, number>();
  for (const { finding } of sortFindings(findings)) counts.set(describeKey(finding), (counts.get(describeKey(finding)) ?? 0) + 1);
  const parts = [...counts].slice(0, 3).map(([what, count]) => plural(count, what));
  return counts.size > 3 ? `${parts.join(", ")}, …` : parts.join(", ");
}

function title(input: CheckRunInput, conclusion: RenderedCheckRun["conclusion"]): string {
  const incomplete = input.incomplete.length > 0 ? " (incomplete scan)" : "";
  if (input.findings.length > 0) {
    const found = `${plural(input.findings.length, "Stripe key")} found: ${breakdown(input.findings)}`;
    return conclusion === "failure" ? `${found}${incomplete}` : `${found}, below the failure threshold${incomplete}`;
  }
  if (incomplete) return "Incomplete scan: no Stripe keys in what was scanned";
  if (input.configErrors.length > 0) return "No Stripe keys found; config error, defaults applied";
  return "No Stripe keys found";
}

function verdict(input: CheckRunInput, conclusion: RenderedCheckRun["conclusion"]): string {
  const threshold = `${code(input.failOn)} (\`check.failOn\`)`;
  if (conclusion === "failure") {
    const count = input.findings.filter((sighted) => blocks(sighted, input.failOn)).length;
    return `**Failing:** ${plural(count, "finding")} at or above severity ${threshold}. Roll these keys; a later commit that removes them does not undo the leak.`;
  }
  if (input.findings.length > 0) {
    return `**Neutral:** every finding is below severity ${threshold} or allowed by the repository config. Review them all the same.`;
  }
  if (input.incomplete.length > 0) {
    return "**Neutral: incomplete scan.** No Stripe keys were found in the parts that were scanned, but not everything was covered.";
  }
  if (input.configErrors.length > 0) return "**Neutral:** no Stripe keys found, but the repository config has errors.";
  return "**Passed:** no Stripe keys found in this commit's changes.";
}

function annotationLevel(sighted: SightedFinding, failOn: Severity): CheckAnnotation["annotation_level"] {
  if (sighted.allowedReason !== undefined || sighted.finding.severity === "info") return "notice";
  return blocks(sighted, failOn) ? "failure" : "warning";
}

function annotation(sighted: SightedFinding, failOn: Severity): CheckAnnotation {
  const { finding, location, allowedReason } = sighted;
  const message = [
    allowedReason !== undefined ? `Allowed by the repository config: ${allowedReason}` : shortGuidance(finding, "plain"),
    `Severity: ${finding.severity}. Fingerprint: ${finding.fingerprint}.`,
  ];
  if (finding.encoding) message.push(`The key is ${finding.encoding}-encoded on this line.`);
  const result: CheckAnnotation = {
    path: location.path,
    start_line: location.line,
    end_line: location.line,
    annotation_level: annotationLevel(sighted, failOn),
    title: `Stripe ${describeKey(finding)} ${finding.redacted}`.slice(0, 255),
    message: message.join("\n"),
  };
  // Columns are only allowed on a single-line annotation, and only when the finding is on this very line.
  if (finding.line === location.line && finding.column >= 1 && finding.endColumn > finding.column) {
    result.start_column = finding.column;
    // Both exclusive, as in SARIF (github/docs#40038 reports GitHub's end column excludes its character).
    result.end_column = finding.endColumn;
  }
  return result;
}

/** Conclusion, summary and every annotation for the "Stripe key scan" check run. */
export function renderCheckRun(input: CheckRunInput): RenderedCheckRun {
  const conclusion = checkConclusion(input);
  const summary: string[] = [verdict(input, conclusion)];
  if (input.findings.length > 0) summary.push(renderFindingsTable(input.repo, input.findings));
  if (input.incomplete.length > 0) summary.push(incompleteSection(input.incomplete));
  if (input.configErrors.length > 0) summary.push(configErrorSection(input.configErrors));
  const text = [whatToDo(input.findings), allowSection(input.findings)].filter((part): part is string => part !== undefined);
  const rendered: RenderedCheckRun = {
    conclusion,
    title: title(input, conclusion),
    summary: truncateMarkdown(summary.join("\n\n"), CHECK_OUTPUT_LIMIT, TRUNCATED),
    annotations: input.findings.map((sighted) => annotation(sighted, input.failOn)),
  };
  if (text.length > 0) rendered.text = truncateMarkdown(text.join("\n\n"), CHECK_OUTPUT_LIMIT, TRUNCATED);
  return rendered;
}
