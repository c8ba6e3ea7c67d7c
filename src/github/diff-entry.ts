/*
 * The one shape the scan works on, whatever listed the file (compare, a single
 * commit, a pull request's file list). GitHub calls it a "diff entry".
 */

export interface ChangedFile {
  path: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  /** Unified-diff hunks; GitHub omits them for binary files and large diffs. */
  patch?: string;
  /** Blob sha of the new content, for fetching it when the patch is missing. */
  blobSha?: string;
  /** Lines added plus deleted; 0 with no patch means a pure rename or mode change. */
  changes: number;
}

interface RawDiffEntry {
  filename: string;
  status: ChangedFile["status"];
  patch?: string | undefined;
  sha?: string | null | undefined;
  changes: number;
}

export function toChangedFile(entry: RawDiffEntry): ChangedFile {
  return {
    path: entry.filename,
    status: entry.status,
    changes: entry.changes,
    ...(entry.patch !== undefined ? { patch: entry.patch } : {}),
    ...(entry.sha ? { blobSha: entry.sha } : {}),
  };
}
