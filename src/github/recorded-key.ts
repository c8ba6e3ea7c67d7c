/*
 * Finds an incident's key again: reads the file at the commit the incident
 * recorded and re-runs the engine on it, keeping the finding whose keyed
 * fingerprint matches. The key exists only in the returned object, in memory,
 * for the caller's immediate use (a Stripe check, a rotation request).
 */
import type { InstallationOctokit, RecordedLocation } from "../jobs/types.js";
import { revealSecret, scanText, type Finding } from "../scanner/index.js";
import { readFileAt } from "./file-content.js";
import type { RepoCoords } from "./issues.js";

export type RecordedKey = { found: true; finding: Finding; secret: string } | { found: false; reason: string };

export async function readRecordedKey(
  octokit: InstallationOctokit,
  repo: RepoCoords,
  location: RecordedLocation,
  fingerprint: string,
  pepper: string,
): Promise<RecordedKey> {
  const where = `${location.path} at ${location.commitSha.slice(0, 7)}`;
  const text = await readFileAt(octokit, repo, location.path, location.commitSha);
  if (text === undefined) return { found: false, reason: `${where} can no longer be read from GitHub` };
  const findings = scanText(text, { path: location.path, pepper });
  // Prefer the recorded line; the same key elsewhere in the file is just as good.
  const matches = findings.filter((finding) => finding.fingerprint === fingerprint);
  const finding = matches.find((candidate) => candidate.line === location.line) ?? matches[0];
  const secret = finding ? revealSecret(finding) : undefined;
  if (!finding || secret === undefined) return { found: false, reason: `the key is no longer in ${where}` };
  return { found: true, finding, secret };
}
