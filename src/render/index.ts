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
export { checkConclusion, CHECK_OUTPUT_LIMIT } from "./check-run.js";
export { renderRunbook } from "./runbook.js";
export { incidentLabels, labelDefinition, ALL_LABELS, INCIDENT_LABEL, kindLabel, severityLabel, modeLabel } from "./labels.js";
export type { LabelDefinition } from "./labels.js";
export { describeKey, shortGuidance } from "./guidance.js";
export { blobUrl, commitUrl, issueUrl, pullUrl, dashboardUrl, encodePath } from "./links.js";
export { COMMENT_LIMIT } from "./pr-summary.js";
