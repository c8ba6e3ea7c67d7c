import type { Probot } from "probot";
import type { KeyedLock } from "../lock/keyed-lock.js";
import type { WritePacer } from "../queue/pacing.js";
import { paceWrites } from "../queue/pacing.js";
import type { DepsFactory } from "../queue/worker-runtime.js";

export interface JobDepsSources {
  probot: Probot;
  pepper: string;
  lock: KeyedLock;
  pacer: WritePacer;
}

/**
 * Per job: a fresh installation Octokit from the job's installationId (Probot
 * caches the token; jobs never carry one, so a job retried hours later still
 * authenticates), with every write paced for that installation.
 */
export function createJobDepsFactory(sources: JobDepsSources): DepsFactory {
  return async (_name, data, log) => {
    const octokit = await sources.probot.auth(data.installationId);
    paceWrites(octokit, data.installationId, sources.pacer);
    return { octokit, log, pepper: sources.pepper, lock: sources.lock };
  };
}
