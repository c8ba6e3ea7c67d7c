import type { AddedLine } from "./detect.js";

export interface FileDiff {
  /** Path in the new tree ("b/" side); for deletions, the old path. */
  path: string;
  oldPath?: string;
  binary: boolean;
  deleted: boolean;
  added: AddedLine[];
}

export interface ParsedDiff {
  files: FileDiff[];
  /** Binary files, whose content a text diff does not show. */
  skippedBinary: number;
}

/** A whole `git diff` / `git log -p` style unified diff. */
export function parseUnifiedDiff(_text: string): ParsedDiff {
  throw new Error("not implemented yet");
}

/** GitHub's per-file `patch` field: hunks only, no file headers. */
export function parsePatch(_patch: string): AddedLine[] {
  throw new Error("not implemented yet");
}
