/*
 * Which locations an incident has already recorded. Every location the App
 * writes into an incident's body or comments also gets a hidden marker
 * holding a digest of where it was seen: the path itself could be anything
 * (even key-shaped), so it never goes into a marker. Reading the markers back
 * from the issue and its comments tells a redelivery apart from a new sighting
 * without any state of our own.
 *
 * "Where" is (commit, path, line) for a push: another branch, a rebase or a
 * squash is a new sighting. For a pull request it is (PR, path, line): a PR
 * scan reports the key at the PR's current head, and every synchronize must
 * not count as a new sighting of the same line.
 */
import { createHash } from "node:crypto";
import type { Location } from "../render/types.js";

const SEEN = /<!-- stripe-leak-guard:seen ([0-9a-f]{32}) -->/g;

export function locationId(location: Location): string {
  const where = location.prNumber !== undefined ? `pr\0${location.prNumber}` : location.commitSha;
  return createHash("sha256").update(`${where}\0${location.line}\0${location.path}`, "utf8").digest("hex").slice(0, 32);
}

export function seenMarkers(locations: readonly Location[]): string {
  return locations.map((location) => `<!-- stripe-leak-guard:seen ${locationId(location)} -->`).join("\n");
}

/** Appends the markers after the rendered Markdown, separated so they never join a list or a table. */
export function withSeenMarkers(body: string, locations: readonly Location[]): string {
  return `${body.trimEnd()}\n\n${seenMarkers(locations)}\n`;
}

export function parseSeenMarkers(bodies: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const body of bodies) {
    for (const match of body.matchAll(SEEN)) if (match[1]) ids.add(match[1]);
  }
  return ids;
}

/** Drops locations already recorded and duplicates within the list, keeping first-seen order. */
export function newLocations(locations: readonly Location[], recorded: ReadonlySet<string>): Location[] {
  const seen = new Set(recorded);
  const out: Location[] = [];
  for (const location of locations) {
    const id = locationId(location);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(location);
  }
  return out;
}
