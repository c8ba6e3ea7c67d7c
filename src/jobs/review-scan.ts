/*
 * Applies the repository's config to a finished scan. The config is read
 * only when there is something for it to act on (findings to filter, gaps to
 * excuse): a clean scan's result does not depend on it, so a clean push or
 * pull-request sync costs no config requests.
 */
import { alertConfigErrors } from "../alerts/routing.js";
import { alertSettings } from "../alerts/settings.js";
import { defaultRepoConfig, type RepoConfig } from "../config/repo-config.js";
import { loadRepoConfig } from "../github/config.js";
import type { RepoCoords } from "../github/compare.js";
import { scrubString } from "../log/scrub.js";
import { applyPolicy, compilePolicy } from "../policy/index.js";
import type { Finding } from "../scanner/index.js";
import type { FileScan, Gap, ScannedFinding } from "./scan-files.js";
import type { InstallationOctokit } from "./types.js";

export interface ReviewedScan {
  /** Reported findings; an allowed one carries `allowedReason`. */
  findings: ScannedFinding[];
  /** Findings hidden by an allow entry or an ignored path. */
  suppressed: number;
  gaps: Gap[];
  binarySkipped: string[];
  config: RepoConfig;
  configErrors: string[];
  configRead: boolean;
}

export async function reviewScan(octokit: InstallationOctokit, repo: RepoCoords, scan: FileScan): Promise<ReviewedScan> {
  if (scan.findings.length === 0 && scan.gaps.length === 0) {
    return { findings: [], suppressed: 0, gaps: [], binarySkipped: scan.binarySkipped, config: defaultRepoConfig, configErrors: [], configRead: false };
  }
  const { config, errors } = await loadRepoConfig(octokit, repo);
  const policy = compilePolicy(config);
  const byFinding = new Map<Finding, ScannedFinding>(scan.findings.map((item) => [item.finding, item]));
  const result = applyPolicy(
    scan.findings.map((item) => item.finding),
    policy,
  );
  const findings: ScannedFinding[] = [];
  for (const reported of result.reported) {
    const item = byFinding.get(reported.finding);
    if (!item) continue;
    findings.push(reported.allowed ? { ...item, allowedReason: reported.allowed.reason } : item);
  }
  return {
    findings,
    suppressed: result.suppressed.length + result.ignored.length,
    // Gap messages name paths, which are the repository's text: they reach check runs, so never a key.
    gaps: scan.gaps.filter((gap) => gap.path === undefined || !policy.isPathIgnored(gap.path)).map((gap) => ({ ...gap, message: scrubString(gap.message) })),
    binarySkipped: scan.binarySkipped.filter((path) => !policy.isPathIgnored(path)),
    config,
    // An alert channel the operator never defined is a config error like any other: shown on the check, never a crash.
    configErrors: [...errors, ...alertConfigErrors(config.alerts.channels, alertSettings())],
    configRead: true,
  };
}
