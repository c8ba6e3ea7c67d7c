import type { Logger } from "pino";
import type { InstallationOctokit } from "../jobs/types.js";
import type { Metrics } from "../metrics/index.js";

/*
 * GitHub never retries a failed webhook delivery, and keeps each delivery
 * redeliverable for three days. The sweeper lists the App's recent
 * deliveries (newest first), groups attempts by delivery guid, and asks once
 * for a redelivery of every guid that has no successful attempt. A guid whose
 * redelivery also failed is not asked for again: the ledger remembers it for
 * longer than GitHub's window.
 */

export const REDELIVERY_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;
/** Leave a margin so a delivery does not age out between listing and asking. */
const WINDOW_MARGIN_MS = 10 * 60 * 1000;
/** GitHub asks for at least a second between mutating requests. */
const DEFAULT_PAUSE_MS = 1_000;
const DEFAULT_MAX_REDELIVERIES = 100;
const DEFAULT_MAX_PAGES = 50;

/** Remembers which delivery guids were already redelivered. */
export interface DeliveryLedger {
  /** True when this caller is the first to claim the guid (and should redeliver). */
  claim(guid: string): Promise<boolean>;
  /** Gives a claim back after a redelivery request failed, so the next sweep tries again. */
  release(guid: string): Promise<void>;
}

/** The App-authenticated (JWT) Octokit: /app/hook/deliveries does not accept installation tokens. */
export type AppOctokit = InstallationOctokit;

export interface SweepOptions {
  octokit: AppOctokit;
  ledger: DeliveryLedger;
  log: Logger;
  metrics?: Metrics | undefined;
  now?: number;
  windowMs?: number;
  pauseMs?: number;
  maxRedeliveries?: number;
  maxPages?: number;
}

export interface SweepResult {
  /** Delivery attempts inside the window. */
  seen: number;
  /** Guids with no successful attempt. */
  failed: number;
  redelivered: string[];
  /** Failed guids already redelivered by an earlier sweep. */
  alreadyRedelivered: number;
  /** Redelivery requests GitHub refused; retried next sweep. */
  errors: number;
  /** True when the listing stopped at maxPages or the run at maxRedeliveries; the next run continues. */
  truncated: boolean;
}

interface Attempt {
  id: number;
  guid: string;
  deliveredAt: number;
  ok: boolean;
  event: string;
}

export async function sweepFailedDeliveries(options: SweepOptions): Promise<SweepResult> {
  const now = options.now ?? Date.now();
  const cutoff = now - (options.windowMs ?? REDELIVERY_WINDOW_MS) + WINDOW_MARGIN_MS;
  const { attempts, truncated: listingTruncated } = await listRecentAttempts(options.octokit, cutoff, options.maxPages ?? DEFAULT_MAX_PAGES);

  const byGuid = new Map<string, Attempt[]>();
  for (const attempt of attempts) byGuid.set(attempt.guid, [...(byGuid.get(attempt.guid) ?? []), attempt]);

  // Oldest first: those are closest to leaving GitHub's window.
  const failed = [...byGuid.values()]
    .filter((group) => !group.some((attempt) => attempt.ok))
    .map((group) => group.reduce((latest, attempt) => (attempt.deliveredAt > latest.deliveredAt ? attempt : latest)))
    .sort((a, b) => a.deliveredAt - b.deliveredAt);

  const result: SweepResult = {
    seen: attempts.length,
    failed: failed.length,
    redelivered: [],
    alreadyRedelivered: 0,
    errors: 0,
    truncated: listingTruncated,
  };
  const limit = options.maxRedeliveries ?? DEFAULT_MAX_REDELIVERIES;
  const pauseMs = options.pauseMs ?? DEFAULT_PAUSE_MS;

  for (const attempt of failed) {
    if (result.redelivered.length + result.errors >= limit) {
      result.truncated = true;
      break;
    }
    if (!(await options.ledger.claim(attempt.guid))) {
      result.alreadyRedelivered += 1;
      continue;
    }
    if (result.redelivered.length + result.errors > 0 && pauseMs > 0) await sleep(pauseMs);
    try {
      await options.octokit.rest.apps.redeliverWebhookDelivery({ delivery_id: attempt.id });
      result.redelivered.push(attempt.guid);
      options.metrics?.redeliveryRequested("requested");
      options.log.info({ deliveryId: attempt.guid, event: attempt.event }, "asked GitHub to redeliver a failed webhook delivery");
    } catch (error) {
      await options.ledger.release(attempt.guid);
      result.errors += 1;
      options.metrics?.redeliveryRequested("failed");
      options.log.warn({ deliveryId: attempt.guid, err: error }, "redelivery request failed; the next sweep tries again");
    }
  }
  options.log.info({ ...result, redelivered: result.redelivered.length }, "webhook delivery sweep finished");
  return result;
}

async function listRecentAttempts(octokit: AppOctokit, cutoff: number, maxPages: number): Promise<{ attempts: Attempt[]; truncated: boolean }> {
  const attempts: Attempt[] = [];
  let pages = 0;
  for await (const page of octokit.paginate.iterator(octokit.rest.apps.listWebhookDeliveries, { per_page: 100 })) {
    pages += 1;
    let reachedCutoff = false;
    for (const delivery of page.data) {
      const deliveredAt = Date.parse(delivery.delivered_at);
      if (deliveredAt < cutoff) {
        reachedCutoff = true;
        continue;
      }
      attempts.push({
        id: Number(delivery.id),
        guid: delivery.guid,
        deliveredAt,
        ok: delivery.status_code >= 200 && delivery.status_code < 300,
        event: delivery.event,
      });
    }
    if (reachedCutoff) return { attempts, truncated: false };
    if (pages >= maxPages) return { attempts, truncated: true };
  }
  return { attempts, truncated: false };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
