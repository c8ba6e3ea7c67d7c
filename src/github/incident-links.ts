/*
 * Reads the locations an incident recorded back out of its Markdown: every
 * blob permalink (…/blob/<40-hex sha>/<path>#L<line>) into this repository
 * that the renderer wrote (src/render/links.ts blobUrl). The path is never
 * put in a marker (it could be anything), so the permalink is the record.
 */
import type { RecordedLocation } from "../jobs/types.js";

const BLOB = /\/blob\/([0-9a-f]{40})\/([^\s#?)\]"'<>]+)#L(\d+)/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Distinct locations in order of first appearance; links into other repositories are ignored. */
export function parseRecordedLocations(bodies: readonly string[], repoHtmlUrl: string): RecordedLocation[] {
  const prefix = new RegExp(`${escapeRegExp(repoHtmlUrl.replace(/\/+$/, ""))}$`, "i");
  const seen = new Set<string>();
  const out: RecordedLocation[] = [];
  for (const body of bodies) {
    for (const match of body.matchAll(BLOB)) {
      const [, sha, encodedPath, line] = match;
      if (!sha || !encodedPath || !line) continue;
      if (!prefix.test(body.slice(0, match.index))) continue;
      let path: string;
      try {
        path = encodedPath.split("/").map(decodeURIComponent).join("/");
      } catch {
        continue;
      }
      const key = `${sha}\0${path}\0${line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ commitSha: sha, path, line: Number(line) });
    }
  }
  return out;
}
