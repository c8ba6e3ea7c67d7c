/**
 * Pure rendering: findings in, Markdown and check-run payloads out. Nothing
 * here may print a raw key; inputs are Findings, which never hold one.
 */
export type * from "./types.js";
export * from "./markers.js";
export { renderIncidentIssue, renderSightingComment, renderReopenComment } from "./incident-issue.js";
export { renderPrSummary } from "./pr-summary.js";
export { renderInlineComment } from "./inline-comment.js";
export { renderCheckRun } from "./check-run.js";
