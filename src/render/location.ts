import { blobUrl, commitUrl, pullUrl, shortSha } from "./links.js";
import { code, mention, plural } from "./markdown.js";
import type { Location, RepoView } from "./types.js";

/** One location as Markdown: a line permalink, the commit, and where it came from. */
export function renderLocation(repo: RepoView, location: Location): string {
  const parts = [
    `[${code(`${location.path}:${location.line}`)}](${blobUrl(repo, location.commitSha, location.path, location.line)})`,
    `in commit [${code(shortSha(location.commitSha))}](${commitUrl(repo, location.commitSha)})`,
  ];
  if (location.ref) parts.push(`on ${code(location.ref)}`);
  if (location.prNumber !== undefined) parts.push(`in [#${location.prNumber}](${pullUrl(repo, location.prNumber)})`);
  if (location.pushedBy) parts.push(`pushed by ${mention(location.pushedBy)}`);
  return parts.join(" ");
}

/** A bullet list of locations, capped so a key pasted into thousands of files still gives a postable comment. */
export function renderLocationList(repo: RepoView, locations: readonly Location[], max = 50): string {
  const shown = locations.slice(0, max).map((location) => `- ${renderLocation(repo, location)}`);
  const hidden = locations.length - shown.length;
  if (hidden > 0) shown.push(`- …and ${plural(hidden, "more location")}`);
  return shown.join("\n");
}
