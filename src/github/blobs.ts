/*
 * File content by blob sha, for files whose patch GitHub left out. The git
 * blobs API serves files up to 100 MB, always base64.
 */
import type { InstallationOctokit } from "../jobs/types.js";
import type { RepoCoords } from "./compare.js";

/** Binary content comes as latin1 text (one character per byte), so ASCII keys inside it can still be found. */
export type BlobContent = { kind: "text"; text: string } | { kind: "binary"; text: string } | { kind: "too-large"; size: number };

/** Files past this size are not fetched: the scan says so instead. */
export const MAX_BLOB_BYTES = 10 * 1024 * 1024;

export async function fetchBlob(octokit: InstallationOctokit, repo: RepoCoords, sha: string): Promise<BlobContent> {
  const { data } = await octokit.rest.git.getBlob({ owner: repo.owner, repo: repo.repo, file_sha: sha });
  if (data.size !== undefined && data.size !== null && data.size > MAX_BLOB_BYTES) return { kind: "too-large", size: data.size };
  const bytes = Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
  if (looksBinary(bytes)) return { kind: "binary", text: bytes.toString("latin1") };
  return { kind: "text", text: bytes.toString("utf8") };
}

/** git's own rule: a NUL byte in the first 8,000 bytes. */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8000);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}
