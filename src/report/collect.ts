/*
 * Gathers the report from GitHub: the installation's repositories, then each
 * one's incident issues, a few repositories at a time. A repository that
 * cannot be read is named in `incomplete`; the rest of the report still comes.
 */
import { listInstallationRepos, type InstallationRepo } from "../github/installation-repos.js";
import { listIncidentIssues } from "../github/list-incidents.js";
import { statusOf } from "../github/issues.js";
import type { InstallationOctokit } from "../jobs/types.js";
import { parseIncidentMarker } from "../render/markers.js";
import { incidentFacts } from "./facts.js";
import type { InstallationReport, ReportIncident } from "./model.js";

export interface CollectOptions {
  installationId: number;
  /** The account's login; default: the owner of the first repository listed. */
  owner?: string;
  concurrency?: number;
  /** Told after each repository, e.g. for the CLI's progress line. */
  onProgress?: (done: number, total: number) => void;
}

export async function collectReport(octokit: InstallationOctokit, options: CollectOptions): Promise<InstallationReport> {
  const repos = (await listInstallationRepos(octokit)).filter((repo) => repo.hasIssues);
  const incidents: ReportIncident[] = [];
  const incomplete: string[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let index = next++; index < repos.length; index = next++) {
      const repo = repos[index] as InstallationRepo;
      try {
        incidents.push(...(await incidentsOf(octokit, repo)));
      } catch (error) {
        const status = statusOf(error);
        incomplete.push(`${repo.owner}/${repo.name}: its issues could not be listed (${status !== undefined ? `GitHub answered ${status}` : "no answer from GitHub"})`);
      }
      options.onProgress?.(++done, repos.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, repos.length)) }, worker));
  incidents.sort((a, b) => a.repository.localeCompare(b.repository) || a.number - b.number);
  incomplete.sort();
  return {
    installationId: options.installationId,
    owner: options.owner ?? repos[0]?.owner ?? `installation ${options.installationId}`,
    repositories: repos.length,
    incidents,
    incomplete,
  };
}

async function incidentsOf(octokit: InstallationOctokit, repo: InstallationRepo): Promise<ReportIncident[]> {
  const issues = await listIncidentIssues(octokit, { owner: repo.owner, repo: repo.name });
  const seen = new Set<string>();
  const out: ReportIncident[] = [];
  // A duplicate left by an older version counts once: the open one, then the oldest, as the incident module picks it.
  const preferred = [...issues].sort((a, b) => (a.state === b.state ? a.number - b.number : a.state === "open" ? -1 : 1));
  for (const issue of preferred) {
    const fingerprint = parseIncidentMarker(issue.body);
    if (!issue.byBot || !fingerprint || seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    const facts = incidentFacts(issue);
    out.push({
      repository: `${repo.owner}/${repo.name}`,
      number: issue.number,
      url: issue.url,
      state: issue.state,
      ...facts,
      openedAt: issue.createdAt,
      ...(issue.closedAt ? { closedAt: issue.closedAt } : {}),
    });
  }
  return out;
}
