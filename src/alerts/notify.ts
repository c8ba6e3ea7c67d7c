/*
 * The one entry point the incident, verify and rotate paths call after they
 * have recorded a change on an incident: it works out which channels hear of
 * it and hands one "send-alert" job per channel to the queue (plus a report
 * refresh). It never throws and never waits on a channel: an alert failure
 * must not fail or slow the scan that opened the incident.
 *
 * With a queue (deps.dispatcher and the job's installation id), delivery is
 * retried by BullMQ with backoff. Without one (single-process mode, tests),
 * the same processor runs in the background with its in-job retries.
 */
import type { RepoConfig } from "../config/repo-config.js";
import { loadRepoConfig } from "../github/config.js";
import type { IncidentOutcome } from "../jobs/incidents.js";
import type { AlertEvent, JobDeps, RepoRef, SendAlertJob } from "../jobs/types.js";
import type { FoundBy, Location } from "../render/types.js";
import { requestReport } from "../report/request.js";
import { runInBackground } from "./background.js";
import { followUpDispatcher } from "./queue.js";
import { reopenEventKey } from "./events.js";
import { routeAlerts } from "./routing.js";
import { sendAlertJob } from "./send-job.js";
import { alertSettings } from "./settings.js";

export interface IncidentRef {
  owner: string;
  repo: string;
  repoId: number;
  htmlUrl?: string;
  issueNumber: number;
  fingerprint: string;
}

export interface StatusChange {
  event: "verification" | "rotation";
  /** The verdict ("active", "inactive"…) or the rotation status ("rotated", "pending", "failed"). */
  status: string;
  /** The issue's labels before the change: an unchanged status alerts no one. */
  before: readonly string[];
  /** The request that led to it (comment or delivery id): tells two changes to the same status apart. */
  requestId: string;
}

/** After recordSightings recorded one incident: alerts on "created" and "reopened". */
export async function alertOnOutcome(
  deps: JobDeps,
  input: {
    repo: { owner: string; repo: string; repoId: number; htmlUrl?: string };
    sightings: readonly { finding: { fingerprint: string }; location: Location }[];
    config: RepoConfig;
    foundBy?: FoundBy;
  },
  outcome: IncidentOutcome,
): Promise<void> {
  try {
    if (outcome.issueNumber === undefined || (outcome.action !== "created" && outcome.action !== "reopened")) return;
    const event: AlertEvent = outcome.action === "created" ? "opened" : "reopened";
    const locations = input.sightings.filter((sighting) => sighting.finding.fingerprint === outcome.fingerprint).map((sighting) => sighting.location);
    const eventKey = event === "opened" ? "opened" : reopenEventKey(locations);
    const ref: IncidentRef = { ...pick(input.repo), issueNumber: outcome.issueNumber, fingerprint: outcome.fingerprint };
    await fanOut(deps, ref, deps.installationId, event, eventKey, () => Promise.resolve(input.config.alerts.channels), input.foundBy);
  } catch (error) {
    deps.log.warn({ err: error }, "could not hand the incident alert on");
  }
}

/** After a verification verdict or a rotation status was shown on an incident. */
export async function alertOnStatus(deps: JobDeps, job: RepoRef & { issueNumber: number; fingerprint: string }, change: StatusChange): Promise<void> {
  try {
    // An error proves nothing about the key: "unknown" is shown on the issue but alerts no one.
    if (change.event === "verification" && change.status === "unknown") return;
    const label = `${change.event === "verification" ? "key" : "rotation"}: ${change.status}`.toLowerCase();
    if (change.before.some((name) => name.toLowerCase() === label)) return;
    const ref: IncidentRef = { ...pick(job), issueNumber: job.issueNumber, fingerprint: job.fingerprint };
    const configured = async () => (await loadRepoConfig(deps.octokit, { owner: job.owner, repo: job.repo })).config.alerts.channels;
    await fanOut(deps, ref, job.installationId, change.event, `${change.status}:${change.requestId}`, configured);
  } catch (error) {
    deps.log.warn({ err: error }, "could not hand the status alert on");
  }
}

function pick(repo: { owner: string; repo: string; repoId: number; htmlUrl?: string | undefined }): Omit<IncidentRef, "issueNumber" | "fingerprint"> {
  return { owner: repo.owner, repo: repo.repo, repoId: repo.repoId, ...(repo.htmlUrl ? { htmlUrl: repo.htmlUrl } : {}) };
}

async function fanOut(
  deps: JobDeps,
  ref: IncidentRef,
  installationId: number | undefined,
  event: AlertEvent,
  eventKey: string,
  configured: () => Promise<readonly string[]>,
  foundBy?: FoundBy,
): Promise<void> {
  requestReport(deps, installationId, ref.owner);
  const settings = alertSettings();
  // No channels at all: not one extra request (the repo config is not even read).
  if (settings.channels.size === 0) return;
  const route = routeAlerts(await configured(), settings);
  const log = deps.log.child({ repo: `${ref.owner}/${ref.repo}`, issue: ref.issueNumber, event });
  if (route.unknown.length > 0) log.warn({ unknown: route.unknown }, "alerts.channels names channels the operator did not define; they are skipped");
  for (const channel of route.channels) {
    const data: SendAlertJob = { installationId: installationId ?? 0, ...ref, event, eventKey, channel: channel.name, ...(foundBy ? { foundBy } : {}) };
    const dispatcher = followUpDispatcher(deps);
    if (dispatcher && installationId !== undefined) {
      runInBackground("queueing an alert", () => dispatcher.dispatch("send-alert", data), log);
    } else {
      runInBackground(`alert to channel "${channel.name}"`, () => sendAlertJob(data, deps), log);
    }
  }
}
