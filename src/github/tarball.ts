/*
 * One request for a repository's snapshot: GET /repos/{owner}/{repo}/tarball
 * (the default branch's head when no ref is given). GitHub answers with a
 * redirect to codeload, whose address carries a short-lived token of its
 * own; we follow it ourselves so that address never reaches Octokit's
 * response object, its logs or an error message. The body is handed back as
 * a stream, never buffered.
 */
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { InstallationOctokit } from "../jobs/types.js";
import type { RepoCoords } from "./issues.js";
import { statusOf } from "./issues.js";

export interface RateBudget {
  remaining: number;
  limit: number;
  /** Epoch milliseconds when the window resets. */
  resetAt: number;
}

export type TarballResponse =
  | { kind: "stream"; body: Readable; rate?: RateBudget }
  /** Empty repository (no commits), gone since it was listed, or blocked. */
  | { kind: "missing"; status: number };

export class TarballDownloadError extends Error {
  override name = "TarballDownloadError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function openTarball(octokit: InstallationOctokit, repo: RepoCoords, ref?: string): Promise<TarballResponse> {
  let response: { status: number; headers: Record<string, string | number | undefined>; data: unknown };
  try {
    response = await octokit.request(ref ? "GET /repos/{owner}/{repo}/tarball/{ref}" : "GET /repos/{owner}/{repo}/tarball", {
      owner: repo.owner,
      repo: repo.repo,
      ...(ref ? { ref } : {}),
      request: { redirect: "manual", parseSuccessResponseBody: false },
    });
  } catch (error) {
    const status = statusOf(error);
    // No commits (404/409), gone (410), or blocked for legal reasons (451): nothing to scan, and asking again will not change it.
    if (status === 404 || status === 409 || status === 410 || status === 451) return { kind: "missing", status };
    throw error;
  }
  const rate = rateBudget(response.headers);
  if (REDIRECTS.has(response.status)) {
    await discard(response.data);
    const location = response.headers.location;
    if (typeof location !== "string" || location === "") throw new TarballDownloadError(`GitHub redirected the tarball of ${repo.owner}/${repo.repo} nowhere`, 502);
    const download = await fetch(location, { redirect: "follow" });
    if (!download.ok || !download.body) {
      await download.body?.cancel().catch(() => undefined);
      // The address is deliberately left out: it holds a token.
      throw new TarballDownloadError(`tarball download of ${repo.owner}/${repo.repo} failed with ${download.status}`, download.status);
    }
    return { kind: "stream", body: Readable.fromWeb(download.body as WebReadableStream<Uint8Array>), ...(rate ? { rate } : {}) };
  }
  const body = toReadable(response.data);
  if (!body) throw new TarballDownloadError(`GitHub sent the tarball of ${repo.owner}/${repo.repo} without a body`, 502);
  return { kind: "stream", body, ...(rate ? { rate } : {}) };
}

function rateBudget(headers: Record<string, string | number | undefined>): RateBudget | undefined {
  const remaining = Number(headers["x-ratelimit-remaining"]);
  const limit = Number(headers["x-ratelimit-limit"]);
  const reset = Number(headers["x-ratelimit-reset"]);
  if (!Number.isFinite(remaining) || !Number.isFinite(limit) || !Number.isFinite(reset)) return undefined;
  return { remaining, limit, resetAt: reset * 1000 };
}

function toReadable(data: unknown): Readable | undefined {
  if (data instanceof Readable) return data;
  if (data && typeof (data as WebReadableStream).getReader === "function") return Readable.fromWeb(data as WebReadableStream<Uint8Array>);
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return Readable.from([Buffer.from(data as ArrayBuffer)]);
  return undefined;
}

async function discard(data: unknown): Promise<void> {
  if (data && typeof (data as WebReadableStream).cancel === "function") await (data as WebReadableStream).cancel().catch(() => undefined);
}
