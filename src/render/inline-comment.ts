import type { SightedFinding } from "./types.js";

/** An inline review comment for one finding, with guidance for its kind and the hidden inline marker. */
export function renderInlineComment(_input: SightedFinding): string {
  throw new Error("not implemented yet");
}
