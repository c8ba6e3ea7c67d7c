/*
 * installation.created and installation_repositories.added -> one
 * "backfill-installation" job. No GitHub calls here: listing 2,000
 * repositories is the job's work, off the webhook's 10-second clock.
 */
import type { Context } from "probot";
import type { BackfillInstallationJob, Dispatcher } from "../jobs/types.js";

/** More ids than this would not be "ids only" job data; the job then lists the installation and skips what is done. */
export const MAX_REPO_IDS_IN_JOB = 1000;

type Account = { login?: string; slug?: string } | null | undefined;

function accountName(account: Account, installationId: number): string {
  return account?.login ?? account?.slug ?? `installation-${installationId}`;
}

export function backfillJobForInstallation(payload: Context<"installation.created">["payload"], deliveryId: string): BackfillInstallationJob {
  const { installation } = payload;
  return { installationId: installation.id, owner: accountName(installation.account as Account, installation.id), repo: "*", deliveryId };
}

export function backfillJobForAddedRepos(payload: Context<"installation_repositories.added">["payload"], deliveryId: string): BackfillInstallationJob | undefined {
  const { installation } = payload;
  const added = payload.repositories_added.map((repo) => repo.id);
  if (added.length === 0) return undefined;
  const job: BackfillInstallationJob = { installationId: installation.id, owner: accountName(installation.account as Account, installation.id), repo: "*", deliveryId };
  if (added.length <= MAX_REPO_IDS_IN_JOB) job.repoIds = added;
  return job;
}

export function createInstallationHandlers(dispatcher: Dispatcher) {
  return {
    async created(context: Context<"installation.created">): Promise<void> {
      const job = backfillJobForInstallation(context.payload, context.id);
      context.log.info({ installation: job.installationId, account: job.owner, selection: context.payload.installation.repository_selection }, "App installed: backfill queued");
      await dispatcher.dispatch("backfill-installation", job);
    },
    async repositoriesAdded(context: Context<"installation_repositories.added">): Promise<void> {
      const job = backfillJobForAddedRepos(context.payload, context.id);
      if (!job) return;
      context.log.info({ installation: job.installationId, added: context.payload.repositories_added.length }, "repositories added: backfill queued");
      await dispatcher.dispatch("backfill-installation", job);
    },
  };
}
