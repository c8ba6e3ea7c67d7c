import type { IncidentInput, Location, RenderedIssue, RepoView } from "./types.js";

/** Title, body (with the hidden incident marker and the Stripe runbook) and labels for a new incident. */
export function renderIncidentIssue(_input: IncidentInput): RenderedIssue {
  throw new Error("not implemented yet");
}

/** A comment listing new locations of an already-open incident's key. */
export function renderSightingComment(_input: { repo: RepoView; locations: readonly Location[] }): string {
  throw new Error("not implemented yet");
}

/** The comment that goes with reopening a closed incident whose key showed up again. */
export function renderReopenComment(_input: { repo: RepoView; locations: readonly Location[] }): string {
  throw new Error("not implemented yet");
}
