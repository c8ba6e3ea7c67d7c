/*
 * Scans a list of changed files the way GitHub hands them over: the patch's
 * added lines when GitHub sent a patch, the whole file (fetched as a blob)
 * when it left the patch out for size, nothing for binary files (counted).
 * Whatever could not be read becomes a gap, so the result can say
 * "incomplete" instead of "clean".
 */
import { fetchBlob } from "../github/blobs.js";
import type { RepoCoords } from "../github/compare.js";
import type { ChangedFile } from "../github/diff-entry.js";
import { statusOf } from "../github/issues.js";
import type { Location, SightedFinding } from "../render/index.js";
import { parsePatch, scanLines, scanText, type CommitInfo, type Finding } from "../scanner/index.js";
import type { InstallationOctokit } from "./types.js";

/** Something the scan could not cover; `path` lets ignored paths drop it once the config is known. */
export interface Gap {
  path?: string;
  message: string;
}

export interface ScannedFinding extends SightedFinding {
  /** True when the line is an added line of the patch scanned (where an inline comment can go). */
  inPatch: boolean;
}

export interface FileScan {
  findings: ScannedFinding[];
  binarySkipped: string[];
  gaps: Gap[];
  blobsFetched: number;
  /** Bytes of patch and blob text scanned, for the scan metrics. */
  bytes?: number;
}

export interface FileScanContext {
  octokit: InstallationOctokit;
  repo: RepoCoords;
  pepper: string;
  /** The commit whose content the locations point into. */
  commitSha: string;
  commit?: CommitInfo;
  location: Omit<Location, "path" | "line" | "commitSha">;
}

/** Extensions whose missing patch means binary content: not worth a blob request. */
const BINARY_EXTENSIONS = new Set(
  "png jpg jpeg gif bmp ico webp tiff psd pdf zip gz tgz bz2 xz 7z rar jar war ear class so dylib dll exe bin o a woff woff2 ttf otf eot mp3 mp4 mov avi wav flac ogg webm sqlite db pyc".split(" "),
);

export function hasBinaryExtension(path: string): boolean {
  const dot = path.lastIndexOf(".");
  return dot > path.lastIndexOf("/") && BINARY_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

export function emptyScan(): FileScan {
  return { findings: [], binarySkipped: [], gaps: [], blobsFetched: 0, bytes: 0 };
}

export async function scanChangedFiles(files: readonly ChangedFile[], ctx: FileScanContext): Promise<FileScan> {
  const out = emptyScan();
  for (const file of files) {
    if (file.status === "removed" || file.status === "unchanged") continue;
    const scanCtx = { path: file.path, pepper: ctx.pepper, ...(ctx.commit ? { commit: ctx.commit } : {}) };
    if (file.patch !== undefined) {
      out.bytes = (out.bytes ?? 0) + Buffer.byteLength(file.patch);
      add(out, scanLines(parsePatch(file.patch), scanCtx), ctx, true);
      continue;
    }
    // No patch and no changes: a pure rename or mode change brings no new content.
    if (file.changes === 0 && file.status !== "added") continue;
    if (hasBinaryExtension(file.path)) {
      out.binarySkipped.push(file.path);
      continue;
    }
    if (!file.blobSha) {
      out.gaps.push({ path: file.path, message: `${file.path}: GitHub sent neither a patch nor a blob id` });
      continue;
    }
    try {
      const blob = await fetchBlob(ctx.octokit, ctx.repo, file.blobSha);
      out.blobsFetched++;
      if (blob.kind === "too-large") out.gaps.push({ path: file.path, message: `${file.path}: too large to fetch (${blob.size} bytes)` });
      else {
        // A binary blob, once fetched, is scanned as bytes: a key compiled into it is still a leak.
        out.bytes = (out.bytes ?? 0) + Buffer.byteLength(blob.text);
        add(out, scanText(blob.text, scanCtx), ctx, false);
      }
    } catch (error) {
      const status = statusOf(error);
      out.gaps.push({ path: file.path, message: `${file.path}: could not fetch its content (${status !== undefined ? `GitHub answered ${status}` : "request failed"})` });
    }
  }
  return out;
}

function add(out: FileScan, findings: readonly Finding[], ctx: FileScanContext, inPatch: boolean): void {
  for (const finding of findings) {
    out.findings.push({ finding, inPatch, location: { ...ctx.location, path: finding.path, line: finding.line, commitSha: ctx.commitSha } });
  }
}

export function mergeScans(into: FileScan, from: FileScan): void {
  into.findings.push(...from.findings);
  into.binarySkipped.push(...from.binarySkipped);
  into.gaps.push(...from.gaps);
  into.blobsFetched += from.blobsFetched;
  into.bytes = (into.bytes ?? 0) + (from.bytes ?? 0);
}

/**
 * One finding per (fingerprint, path, line), keeping the first: callers put
 * the head's diff first. A key that a history commit added to a path where
 * the head's diff still shows it is the same sighting at an older line, so
 * `history` findings are dropped when `primary` has the key in that path.
 */
export function dedupeFindings(primary: readonly ScannedFinding[], history: readonly ScannedFinding[] = []): ScannedFinding[] {
  const seen = new Set<string>();
  const inPath = new Set(primary.map((item) => `${item.finding.fingerprint}\0${item.location.path}`));
  const out: ScannedFinding[] = [];
  for (const item of [...primary, ...history.filter((h) => !inPath.has(`${h.finding.fingerprint}\0${h.location.path}`))]) {
    const key = `${item.finding.fingerprint}\0${item.location.path}\0${item.location.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}
