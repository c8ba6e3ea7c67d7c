import type { PrSummaryInput } from "./types.js";

/** The one summary comment per PR (starts with SUMMARY_MARKER), edited in place on later pushes. */
export function renderPrSummary(_input: PrSummaryInput): string {
  throw new Error("not implemented yet");
}
