/**
 * The engine's public surface. Pure: no I/O, no process.env. Everything the
 * CLI, the handlers and the workers need from the engine is exported here.
 */
export type { Finding, KeyKind, Mode, Severity, Encoding, CommitInfo } from "./types.js";
export { SEVERITIES, severityAtLeast } from "./types.js";
export { revealSecret } from "./secret.js";
export { scanText, scanLines } from "./detect.js";
export type { ScanContext, AddedLine } from "./detect.js";
export { parseUnifiedDiff, parsePatch } from "./diff.js";
export type { FileDiff, ParsedDiff } from "./diff.js";
export { fingerprintKey } from "./fingerprint.js";
export { redactKey } from "./redact.js";
export { RULES } from "./rules.js";
export type { Rule, RuleCase, CaseSource } from "./rules.js";
export { IGNORE_MARKER, ignorable } from "./ignore.js";
