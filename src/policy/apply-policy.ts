import { createRequire } from "node:module";
import type Picomatch from "picomatch";
import type { AllowEntry, RepoConfig } from "../config/repo-config.js";
import type { Finding } from "../scanner/index.js";

/*
 * A repository's config applied to findings: ignored paths and accepted
 * fingerprints. Pure, so the CLI and the GitHub App share it. Findings are
 * wrapped, never copied, so `revealSecret(finding)` keeps working on them.
 */

export interface Policy {
  /** True when the repository-relative path matches one of `paths.ignore`. */
  isPathIgnored(path: string): boolean;
  /** The allow entry whose fingerprint (or fingerprint prefix) matches. */
  allowanceFor(fingerprint: string): AllowEntry | undefined;
}

export interface PolicyFinding {
  finding: Finding;
  /** Set when an allow entry matched; the finding is accepted and does not fail a scan. */
  allowed?: { reason: string };
}

export interface PolicyResult {
  /** Findings to show: not allowed, or allowed but too dangerous to hide (live secret and restricted keys). */
  reported: PolicyFinding[];
  /** Accepted findings that are not shown. */
  suppressed: PolicyFinding[];
  /** Findings in ignored paths. */
  ignored: Finding[];
}

/** Normalises to the form the globs are written against: forward slashes, no leading "./" or "/". */
export function normalizeRepoPath(path: string): string {
  return path.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/^\/+/, "");
}

/** picomatch, loaded only when a config has ignore globs: most scans have none and start faster without it. */
function loadPicomatch(): typeof Picomatch {
  return createRequire(import.meta.url)("picomatch") as typeof Picomatch;
}

export function compilePolicy(config: Pick<RepoConfig, "paths" | "allow">): Policy {
  const patterns = config.paths.ignore;
  const matcher = patterns.length > 0 ? loadPicomatch()(patterns, { dot: true }) : undefined;
  const allow = config.allow;
  return {
    isPathIgnored: (path) => matcher !== undefined && matcher(normalizeRepoPath(path)),
    allowanceFor: (fingerprint) => allow.find((entry) => fingerprint.startsWith(entry.fingerprint)),
  };
}

/** A live secret or restricted key is a leak whatever the config says, so it stays visible even when allowed. */
export function alwaysVisible(finding: Finding): boolean {
  return finding.mode === "live" && (finding.kind === "secret" || finding.kind === "restricted" || finding.kind === "org-secret");
}

export function applyPolicy(findings: readonly Finding[], policy: Policy): PolicyResult {
  const result: PolicyResult = { reported: [], suppressed: [], ignored: [] };
  for (const finding of findings) {
    if (policy.isPathIgnored(finding.path)) {
      result.ignored.push(finding);
      continue;
    }
    const entry = policy.allowanceFor(finding.fingerprint);
    if (entry === undefined) {
      result.reported.push({ finding });
    } else if (alwaysVisible(finding)) {
      result.reported.push({ finding, allowed: { reason: entry.reason } });
    } else {
      result.suppressed.push({ finding, allowed: { reason: entry.reason } });
    }
  }
  return result;
}
