/*
 * Single-process mode: a dispatched job runs at once, in this process,
 * authenticated as its installation. Failures are logged (with ids only) and
 * rethrown, so the webhook delivery shows the failure and can be redelivered.
 * The BullMQ dispatcher keeps the same interface and runs the same table.
 */
import type { Logger } from "pino";
import { createInProcessLock, type KeyedLock } from "../lock/keyed-lock.js";
import { processors as defaultProcessors, type ProcessorTable } from "./processors.js";
import type { Dispatcher, InstallationOctokit, JobDataByName, JobName, Processor } from "./types.js";

export interface InProcessDispatcherOptions {
  /** Installation-authenticated Octokit, e.g. `(id) => app.auth(id)`. */
  auth: (installationId: number) => Promise<InstallationOctokit>;
  log: Logger;
  pepper: string;
  lock?: KeyedLock;
  processors?: ProcessorTable;
}

export function createInProcessDispatcher(options: InProcessDispatcherOptions): Dispatcher {
  const lock = options.lock ?? createInProcessLock();
  const table = options.processors ?? defaultProcessors;
  return {
    async dispatch<N extends JobName>(name: N, data: JobDataByName[N]): Promise<void> {
      const processor = table[name] as Processor<N> | undefined;
      if (!processor) throw new Error(`no processor for job "${name}"`);
      const log = options.log.child({ job: name, delivery: "deliveryId" in data ? data.deliveryId : undefined });
      const octokit = await options.auth(data.installationId);
      try {
        await processor(data, { octokit, log, pepper: options.pepper, lock });
      } catch (error) {
        log.error({ err: error, repo: `${data.owner}/${data.repo}` }, `job ${name} failed`);
        throw error;
      }
    },
  };
}
