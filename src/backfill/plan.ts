/*
 * Planning an installation's backfill: which repositories, minus those done
 * already, each becoming one job. Repositories without commits need no
 * request at all and are counted done at once.
 */
import { listInstallationRepos, type InstallationRepo } from "../github/installation-repos.js";
import type { BackfillInstallationJob, BackfillRepoJob, JobDeps } from "../jobs/types.js";
import type { Metrics } from "../metrics/index.js";
import type { BackfillProgress } from "./progress.js";
import type { BackfillServices } from "./services.js";

export interface BackfillPlan {
  queued: number;
  alreadyDone: number;
  empty: number;
  progress: BackfillProgress;
}

export async function planBackfill(job: BackfillInstallationJob, deps: JobDeps, services: BackfillServices, metrics?: Metrics): Promise<BackfillPlan> {
  const listed = await listInstallationRepos(deps.octokit);
  const wanted = job.repoIds ? new Set(job.repoIds) : undefined;
  const repos = wanted ? listed.filter((repo) => wanted.has(repo.id)) : listed;
  const { store } = services;
  let progress = await store.plan(job.installationId, repos.map((repo) => repo.id));
  const done = await store.doneAmong(job.installationId, repos.map((repo) => repo.id));
  const todo: InstallationRepo[] = [];
  let empty = 0;
  for (const repo of repos) {
    if (done.has(repo.id)) continue;
    if (repo.size === 0) {
      // GitHub has no tarball for a repository without commits.
      progress = await store.markDone(job.installationId, repo.id);
      empty++;
      continue;
    }
    todo.push(repo);
  }
  const jobs: BackfillRepoJob[] = todo.map((repo) => ({
    installationId: job.installationId,
    owner: repo.owner,
    repo: repo.name,
    repoId: repo.id,
    htmlUrl: repo.htmlUrl,
    backfillId: job.deliveryId,
  }));
  await services.enqueue(jobs, deps);
  metrics?.backfillProgress(job.installationId, progress.done, progress.total);
  return { queued: jobs.length, alreadyDone: done.size, empty, progress };
}
