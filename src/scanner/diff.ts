import type { AddedLine } from "./detect.js";
import type { CommitInfo } from "./types.js";

export interface FileDiff {
  /** Path in the new tree ("b/" side); for deletions, the old path. */
  path: string;
  oldPath?: string;
  binary: boolean;
  deleted: boolean;
  added: AddedLine[];
  /** Set when the diff is `git log -p` output: the commit this file diff belongs to. */
  commit?: CommitInfo;
}

export interface ParsedDiff {
  files: FileDiff[];
  /** Binary files, whose content a text diff does not show. */
  skippedBinary: number;
}

const HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const COMMIT_LINE = /^commit ([0-9a-f]{7,64})\b/;
const FORMAT_PATCH_LINE = /^From ([0-9a-f]{40}|[0-9a-f]{64}) Mon Sep 17 00:00:00 2001$/;

/*
 * Reads hunk bodies by their line counts rather than by their first
 * character, so an added line whose content is "++ b/x" or "-- a/y" is still
 * an added line, and "\ No newline at end of file" counts for nothing.
 */
class HunkReader {
  private oldLeft = 0;
  private newLeft = 0;
  private next = 0;

  get active(): boolean {
    return this.oldLeft > 0 || this.newLeft > 0;
  }

  /** Starts a hunk if `line` is a hunk header. */
  start(line: string): boolean {
    const m = HUNK.exec(line);
    if (!m) return false;
    this.oldLeft = m[1] === undefined ? 1 : Number(m[1]);
    this.next = Number(m[2]);
    this.newLeft = m[3] === undefined ? 1 : Number(m[3]);
    return true;
  }

  /** Consumes one body line; returns the added line, if it is one. */
  take(line: string): AddedLine | undefined {
    const c = line.charCodeAt(0);
    if (c === 43 /* + */) {
      this.newLeft--;
      return { line: this.next++, text: line.slice(1) };
    }
    if (c === 45 /* - */) this.oldLeft--;
    else if (c === 92 /* \ */) return undefined;
    else {
      // Context line; some tools strip the leading space of an empty one.
      this.oldLeft--;
      this.newLeft--;
      this.next++;
    }
    return undefined;
  }
}

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

/** GitHub's per-file `patch` field: hunks only, no file headers. */
export function parsePatch(patch: string): AddedLine[] {
  const added: AddedLine[] = [];
  const hunk = new HunkReader();
  for (const line of splitLines(patch)) {
    if (hunk.active) {
      const a = hunk.take(line);
      if (a) added.push(a);
    } else hunk.start(line);
  }
  return added;
}

/** Git's C-style quoted path ("a/caf\303\251 x.txt") to a string. */
export function unquotePath(quoted: string): string {
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, '"': 34, "\\": 92 };
  for (let i = 1; i < quoted.length - 1; i++) {
    const ch = quoted[i] ?? "";
    if (ch !== "\\") {
      bytes.push(...Buffer.from(ch, "utf8"));
      continue;
    }
    const nextCh = quoted[i + 1] ?? "";
    if (/[0-7]/.test(nextCh)) {
      bytes.push(parseInt(quoted.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[nextCh] ?? nextCh.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** A path as written after "--- ", "+++ " or in "rename to": maybe quoted, maybe followed by a tab and timestamp. */
function readPath(raw: string, prefix: string): string | undefined {
  let p = raw.startsWith('"') ? unquotePath(raw.slice(0, raw.lastIndexOf('"') + 1)) : raw.split("\t")[0] ?? raw;
  if (p === "/dev/null") return undefined;
  if (prefix && p.startsWith(prefix)) p = p.slice(prefix.length);
  return p;
}

/** Both paths of a "diff --git" header; unquoted paths with spaces are split where the two halves agree. */
function gitHeaderPaths(rest: string): [string, string] | undefined {
  if (rest.startsWith('"')) {
    const end = rest.indexOf('" ', 1);
    const a = end === -1 ? undefined : unquotePath(rest.slice(0, end + 1));
    const bRaw = end === -1 ? "" : rest.slice(end + 2);
    const b = bRaw.startsWith('"') ? unquotePath(bRaw) : bRaw;
    return a === undefined ? undefined : [a.replace(/^a\//, ""), b.replace(/^b\//, "")];
  }
  const candidates: [string, string][] = [];
  for (let i = rest.indexOf(" b/"); i !== -1; i = rest.indexOf(" b/", i + 1)) {
    const bPart = rest.slice(i + 1);
    const b = bPart.startsWith('"') ? unquotePath(bPart) : bPart;
    candidates.push([rest.slice(0, i).replace(/^a\//, ""), b.replace(/^b\//, "")]);
  }
  return candidates.find(([a, b]) => a === b) ?? candidates[candidates.length - 1];
}

function parseCommitDate(raw: string): string {
  const d = new Date(raw.trim());
  return Number.isNaN(d.getTime()) ? raw.trim() : d.toISOString();
}

/** A whole `git diff` / `git log -p` style unified diff. */
export function parseUnifiedDiff(text: string): ParsedDiff {
  const files: FileDiff[] = [];
  let current: FileDiff | undefined;
  let commit: CommitInfo | undefined;
  let headerOpen = false; // between a file header and its first hunk
  const hunk = new HunkReader();

  const open = (path: string, oldPath?: string): FileDiff => {
    const f: FileDiff = { path, binary: false, deleted: false, added: [] };
    if (oldPath !== undefined && oldPath !== path) f.oldPath = oldPath;
    if (commit) f.commit = commit;
    files.push(f);
    current = f;
    headerOpen = true;
    return f;
  };

  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (hunk.active) {
      const a = hunk.take(line);
      if (a && current) current.added.push(a);
      continue;
    }
    if (line.startsWith("diff --git ")) {
      const paths = gitHeaderPaths(line.slice(11));
      open(paths?.[1] ?? "", paths?.[0]);
      continue;
    }
    // `git log -p` starts a commit with "commit <sha>", `git format-patch` with "From <sha> <fixed date>".
    const sha = COMMIT_LINE.exec(line)?.[1] ?? FORMAT_PATCH_LINE.exec(line)?.[1];
    if (sha !== undefined) {
      commit = { sha, author: "", date: "" };
      current = undefined;
      headerOpen = false;
      continue;
    }
    if (commit && !current && (line.startsWith("Author: ") || line.startsWith("From: "))) {
      const m = /^(?:Author|From):\s*(.*?)\s*(?:<([^>]*)>)?\s*$/.exec(line);
      commit.author = m?.[1] ?? "";
      if (m?.[2]) commit.email = m[2];
      continue;
    }
    if (commit && !current && line.startsWith("Date: ")) {
      commit.date = parseCommitDate(line.slice(5));
      continue;
    }
    if (line.startsWith("--- ") && (lines[i + 1] ?? "").startsWith("+++ ")) {
      const oldPath = readPath(line.slice(4), "a/");
      const newPath = readPath((lines[i + 1] ?? "").slice(4), "b/");
      // A plain `diff -u` has no "diff --git" line: the ---/+++ pair opens the file.
      const f = current && headerOpen ? current : open(newPath ?? oldPath ?? "", oldPath);
      if (newPath === undefined) {
        f.deleted = true;
        f.path = oldPath ?? f.path;
        delete f.oldPath;
      } else {
        f.path = newPath;
        if (oldPath !== undefined && oldPath !== newPath) f.oldPath = oldPath;
        else delete f.oldPath;
      }
      i++;
      continue;
    }
    if (!current) continue;
    if (hunk.start(line)) {
      headerOpen = false;
      continue;
    }
    if (!headerOpen) continue;
    if (line.startsWith("deleted file mode")) current.deleted = true;
    else if (line.startsWith("rename from ")) current.oldPath = readPath(line.slice(12), "") ?? current.oldPath;
    else if (line.startsWith("rename to ")) current.path = readPath(line.slice(10), "") ?? current.path;
    else if (line === "GIT binary patch" || (line.startsWith("Binary files ") && line.endsWith(" differ"))) current.binary = true;
  }
  for (const f of files) if (f.deleted) f.added = [];
  return { files, skippedBinary: files.filter((f) => f.binary).length };
}
