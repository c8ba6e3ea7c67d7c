import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { InstallationOctokit } from "../jobs/types.js";
import type { AppOctokit } from "./sweeper.js";

/*
 * How many incident issues are open, across every installation, for the
 * open_incidents gauge. Issues are closed by people on GitHub as often as by
 * `/stripe-leak-guard resolve`, so the count is read from GitHub (one search
 * per installation, for the label every incident carries) on a schedule, and
 * kept in Redis where every process's /metrics reads it.
 */

/** The fixed label on every incident issue (src/jobs/incidents-labels.ts). */
export const INCIDENT_LABEL = "stripe-leak-guard";
const DEFAULT_MAX_INSTALLATIONS = 200;

export interface CensusOptions {
  appOctokit: AppOctokit;
  installationOctokit: (installationId: number) => Promise<InstallationOctokit>;
  log: Logger;
  maxInstallations?: number;
}

export interface CensusResult {
  open: number;
  installations: number;
  /** False when some installation could not be counted or the cap was reached: the count is a lower bound. */
  complete: boolean;
}

export async function countOpenIncidents(options: CensusOptions): Promise<CensusResult> {
  const result: CensusResult = { open: 0, installations: 0, complete: true };
  const cap = options.maxInstallations ?? DEFAULT_MAX_INSTALLATIONS;
  for await (const page of options.appOctokit.paginate.iterator(options.appOctokit.rest.apps.listInstallations, { per_page: 100 })) {
    for (const installation of page.data) {
      if (result.installations >= cap) return { ...result, complete: false };
      const account = installation.account as { login?: string; type?: string } | null;
      if (!account?.login) continue;
      result.installations += 1;
      const scope = account.type === "Organization" ? "org" : "user";
      try {
        const octokit = await options.installationOctokit(installation.id);
        const found = await octokit.rest.search.issuesAndPullRequests({
          q: `is:issue is:open label:"${INCIDENT_LABEL}" ${scope}:${account.login}`,
          per_page: 1,
        });
        result.open += found.data.total_count;
      } catch (error) {
        result.complete = false;
        options.log.warn({ installation: installation.id, err: error }, "could not count this installation's open incidents");
      }
    }
  }
  return result;
}

export function openIncidentsKey(prefix: string): string {
  return `${prefix}:slg:open-incidents`;
}

/** Kept for three census intervals, so a stopped census shows as a missing gauge rather than a stale number. */
export async function storeOpenIncidents(redis: Redis, prefix: string, count: number, ttlSeconds: number): Promise<void> {
  await redis.set(openIncidentsKey(prefix), String(count), "EX", Math.max(1, Math.round(ttlSeconds)));
}

export async function readOpenIncidents(redis: Redis, prefix: string): Promise<number | undefined> {
  const raw = await redis.get(openIncidentsKey(prefix));
  const value = raw === null ? Number.NaN : Number(raw);
  return Number.isFinite(value) ? value : undefined;
}
