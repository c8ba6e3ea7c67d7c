import type { Finding } from "./types.js";

export const IGNORE_MARKER = "stripe-leak-guard:ignore";

/** Live secret, restricted and organization keys are leaks whatever a comment says; test and publishable keys may be waived inline. */
export function ignorable(finding: Pick<Finding, "kind" | "mode">): boolean {
  if (finding.kind === "publishable") return true;
  return finding.mode === "test" && (finding.kind === "secret" || finding.kind === "restricted");
}

/** Whether the line holding `offset` (which starts at `lineStart`) carries the marker. */
export function markedLine(text: string, lineStart: number, offset: number): boolean {
  const nl = text.indexOf("\n", offset);
  return text.slice(lineStart, nl === -1 ? text.length : nl).includes(IGNORE_MARKER);
}
