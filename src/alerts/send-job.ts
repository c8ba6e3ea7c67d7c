/*
 * The "send-alert" job: one alert, one channel. The incident issue is read
 * again (the job holds ids only) and the alert built from what the App wrote
 * there. A few quick attempts run inside the job; what still fails with a
 * 5xx, 429 or timeout is thrown back for the queue to retry with backoff, and
 * any other failure ends the job for good (UnrecoverableError).
 *
 * Exactly once per channel as far as this side can tell: a job stops at the
 * first 2xx, and each channel has its own job, so one failing channel never
 * makes another receive the alert twice. Receivers dedupe what is left (a
 * worker dying between the 2xx and the job's completion) by the idempotency id.
 */
import { UnrecoverableError } from "bullmq";
import { getIncidentIssue } from "../github/incident-comments.js";
import { repoView } from "../github/repo-view.js";
import type { JobDeps, Processor, SendAlertJob } from "../jobs/types.js";
import { processMetrics } from "../metrics/index.js";
import { parseIncidentMarker } from "../render/markers.js";
import { deliverAlert, type DeliveryOutcome } from "./deliver.js";
import { buildAlertPayload } from "./payload.js";
import { alertSettings, type AlertSettings } from "./settings.js";

/** Thrown for a channel worth retrying; src/queue/classify-error.ts reads retryAfterMs. */
export class AlertUnavailableError extends Error {
  override name = "AlertUnavailableError";
  readonly retryAfterMs?: number;

  constructor(message: string, retryAfterMs?: number) {
    super(message);
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }
}

export interface SendAlertOptions {
  /** Default: the process's settings (ALERT_* environment). */
  settings?: () => AlertSettings;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Seconds since the epoch, for signatures. */
  now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createSendAlertProcessor(options: SendAlertOptions = {}): Processor<"send-alert"> {
  return async (data: SendAlertJob, deps: JobDeps) => {
    const settings = options.settings?.() ?? alertSettings();
    const log = deps.log.child({ job: "send-alert", repoId: data.repoId, issue: data.issueNumber, event: data.event, channel: data.channel });
    const channel = settings.channels.get(data.channel);
    if (!channel) {
      log.warn("the channel is no longer in ALERT_CHANNELS; alert dropped");
      return;
    }
    const repo = { owner: data.owner, repo: data.repo };
    const issue = await getIncidentIssue(deps.octokit, repo, data.issueNumber);
    if (!issue || parseIncidentMarker(issue.body) !== data.fingerprint) {
      log.warn("no incident issue for this fingerprint any more; alert dropped");
      return;
    }
    const payload = buildAlertPayload(data, repoView(data, deps.octokit.request.endpoint.DEFAULTS.baseUrl), issue);

    const sleep = options.sleep ?? defaultSleep;
    const random = options.random ?? Math.random;
    const attempts = Math.max(1, settings.attempts);
    let outcome: DeliveryOutcome;
    for (let attempt = 1; ; attempt++) {
      outcome = await deliverAlert(channel, payload, settings, options.now ? { now: options.now } : {});
      if (outcome.type !== "retry" || attempt >= attempts) break;
      const backoff = settings.baseDelayMs * 2 ** (attempt - 1);
      const delayMs = Math.max(outcome.retryAfterMs ?? 0, Math.round(backoff / 2 + (random() * backoff) / 2));
      log.warn({ attempt, delayMs, reason: outcome.reason }, "alert not delivered; trying again");
      await sleep(delayMs);
    }

    switch (outcome.type) {
      case "delivered":
        processMetrics().alertFinished(channel.type, "delivered");
        log.info({ status: outcome.status, id: payload.id }, "alert delivered");
        return;
      case "retry":
        processMetrics().alertFinished(channel.type, "retrying");
        throw new AlertUnavailableError(`alert not delivered: ${outcome.reason}`, outcome.retryAfterMs);
      case "refused":
        processMetrics().alertFinished(channel.type, "refused");
        log.error({ reason: outcome.reason }, "alert refused; not retrying");
        throw new UnrecoverableError(`alert refused: ${outcome.reason}`);
    }
  };
}

/** The table's processor: settings from the environment, read on first use. */
export const sendAlertJob: Processor<"send-alert"> = createSendAlertProcessor();
