import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/*
 * The named series and the only code that touches prom-client. Other modules
 * call the small record helpers below (or receive a `Metrics` in their deps);
 * they never import prom-client. Label values are bounded sets (event names,
 * outcomes, key kinds, queue names, installation ids), never repository paths
 * or anything taken from a payload's free text.
 */

export const METRIC_PREFIX = "stripe_leak_guard_";

/** Job states reported per queue: depth is waiting + prioritized + delayed + active. */
export const QUEUE_STATES = ["waiting", "active", "delayed", "prioritized", "failed", "completed"] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

/** What the metrics need of a BullMQ Queue; a real Queue satisfies it. */
export interface CountableQueue {
  name: string;
  getJobCounts(...types: QueueState[]): Promise<Record<string, number>>;
}

/** From the HTTP answer: 2xx accepted, 400/415 rejected, 413 too_large, 503 unavailable (Redis down), other 5xx failed. */
export type DeliveryOutcome = "accepted" | "rejected" | "too_large" | "unavailable" | "failed";

export function deliveryOutcomeOf(status: number): DeliveryOutcome {
  if (status >= 200 && status < 300) return "accepted";
  if (status === 413) return "too_large";
  if (status === 503) return "unavailable";
  if (status >= 400 && status < 500) return "rejected";
  return "failed";
}
/** The handler's answer (rotated, pending, failed), a refusal (4xx, bad answer), or an unreachable handler to retry. */
export type RotationOutcome = "rotated" | "pending" | "failed" | "refused" | "retrying";
export type RedeliveryOutcome = "requested" | "failed";
/** One send-alert run: delivered (2xx), retrying (5xx, 429, timeout; the queue tries again) or refused (any other failure). */
export type AlertOutcome = "delivered" | "retrying" | "refused";

export interface Metrics {
  readonly registry: Registry;
  /** A webhook delivery was answered; the server records this from the response (src/ops/server-ops.ts). */
  webhookDelivered(event: string, outcome: DeliveryOutcome): void;
  /** A scan finished; `source` is push, pull_request, backfill or cli. */
  scanCompleted(source: string, seconds: number, bytes: number, complete?: boolean): void;
  findingsFound(kind: string, count?: number): void;
  rotationFinished(outcome: RotationOutcome): void;
  /** An alert to a responder's channel (`slack` or `webhook`) was sent, or not. */
  alertFinished(channelType: "slack" | "webhook", outcome: AlertOutcome): void;
  /** From a GitHub response's x-ratelimit-remaining header, per installation ("app" for JWT calls). */
  rateLimitRemaining(installation: number | "app", remaining: number): void;
  /** Backfill of an installation: repositories done out of total. */
  backfillProgress(installation: number, done: number, total: number): void;
  incidentOpened(): void;
  incidentResolved(): void;
  redeliveryRequested(outcome: RedeliveryOutcome): void;
  /** Queues whose job counts are read at each scrape. */
  watchQueues(queues: readonly CountableQueue[]): void;
  /** Where the number of open incidents comes from (read at each scrape). */
  setOpenIncidentsSource(source: () => Promise<number | undefined> | number | undefined): void;
  /** The exposition text for /metrics. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface CreateMetricsOptions {
  /** Process metrics (CPU, memory, event-loop lag); default on. Tests turn it off to stay fast. */
  processMetrics?: boolean;
  /** Constant labels on every series, e.g. { role: "worker" }. */
  labels?: Record<string, string>;
}

export function createMetrics(options: CreateMetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.labels) registry.setDefaultLabels(options.labels);
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });

  const name = (suffix: string) => `${METRIC_PREFIX}${suffix}`;
  const registers = [registry];

  const deliveries = new Counter({
    name: name("webhook_deliveries_total"),
    help: "Webhook deliveries answered, by event and outcome.",
    labelNames: ["event", "outcome"],
    registers,
  });
  const scanDuration = new Histogram({
    name: name("scan_duration_seconds"),
    help: "Wall time of one scan (a push, a pull request, a backfilled repository).",
    labelNames: ["source"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers,
  });
  const scanBytes = new Counter({
    name: name("scan_bytes_total"),
    help: "Bytes of diff or file content scanned.",
    labelNames: ["source"],
    registers,
  });
  const scansIncomplete = new Counter({
    name: name("scans_incomplete_total"),
    help: "Scans that could not cover everything (truncated diffs, missing patches).",
    labelNames: ["source"],
    registers,
  });
  const findings = new Counter({
    name: name("findings_total"),
    help: "Keys found, by kind (secret, restricted, org-secret, webhook-secret, publishable).",
    labelNames: ["kind"],
    registers,
  });
  const rotations = new Counter({
    name: name("rotations_total"),
    help: "Rotation handler calls, by outcome.",
    labelNames: ["outcome"],
    registers,
  });
  const alerts = new Counter({
    name: name("alerts_total"),
    help: "Alerts to responders' channels, by channel type and outcome.",
    labelNames: ["type", "outcome"],
    registers,
  });
  const rateLimit = new Gauge({
    name: name("github_rate_limit_remaining"),
    help: "GitHub API requests left in the current window, per installation (last response seen).",
    labelNames: ["installation"],
    registers,
  });
  const backfillDone = new Gauge({
    name: name("backfill_repositories_done"),
    help: "Repositories scanned so far by the running backfill, per installation.",
    labelNames: ["installation"],
    registers,
  });
  const backfillTotal = new Gauge({
    name: name("backfill_repositories_total"),
    help: "Repositories the backfill will scan, per installation.",
    labelNames: ["installation"],
    registers,
  });
  const incidentsOpened = new Counter({ name: name("incidents_opened_total"), help: "Incident issues opened.", registers });
  const incidentsResolved = new Counter({
    name: name("incidents_resolved_total"),
    help: "Incident issues resolved.",
    registers,
  });
  const redeliveries = new Counter({
    name: name("webhook_redeliveries_total"),
    help: "Redeliveries of failed webhook deliveries asked of GitHub by the sweeper, by outcome.",
    labelNames: ["outcome"],
    registers,
  });

  let queues: readonly CountableQueue[] = [];
  new Gauge({
    name: name("queue_jobs"),
    help: "Jobs per queue and state (waiting, active, delayed, prioritized, failed, completed).",
    labelNames: ["queue", "state"],
    registers,
    async collect() {
      this.reset();
      for (const queue of queues) {
        const counts = await queue.getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: name("queue_depth"),
    help: "Jobs not yet finished per queue: waiting + prioritized + delayed + active.",
    labelNames: ["queue"],
    registers,
    async collect() {
      this.reset();
      for (const queue of queues) {
        const counts = await queue.getJobCounts("waiting", "prioritized", "delayed", "active");
        const depth = Object.values(counts).reduce((sum, count) => sum + count, 0);
        this.set({ queue: queue.name }, depth);
      }
    },
  });

  let openIncidentsSource: (() => Promise<number | undefined> | number | undefined) | undefined;
  new Gauge({
    name: name("open_incidents"),
    help: "Incident issues open, across all installations, as last counted by the workers' census (NaN until the first count).",
    registers,
    async collect() {
      this.reset();
      // A label-less gauge is always exposed; NaN says "not counted yet" where 0 would claim "none open".
      const count = openIncidentsSource ? await openIncidentsSource() : undefined;
      this.set(count ?? Number.NaN);
    },
  });

  return {
    registry,
    contentType: registry.contentType,
    webhookDelivered: (event, outcome) => deliveries.inc({ event, outcome }),
    scanCompleted(source, seconds, bytes, complete = true) {
      scanDuration.observe({ source }, seconds);
      scanBytes.inc({ source }, bytes);
      if (!complete) scansIncomplete.inc({ source });
    },
    findingsFound: (kind, count = 1) => findings.inc({ kind }, count),
    rotationFinished: (outcome) => rotations.inc({ outcome }),
    alertFinished: (type, outcome) => alerts.inc({ type, outcome }),
    rateLimitRemaining: (installation, remaining) => rateLimit.set({ installation: String(installation) }, remaining),
    backfillProgress(installation, done, total) {
      backfillDone.set({ installation: String(installation) }, done);
      backfillTotal.set({ installation: String(installation) }, total);
    },
    incidentOpened: () => incidentsOpened.inc(),
    incidentResolved: () => incidentsResolved.inc(),
    redeliveryRequested: (outcome) => redeliveries.inc({ outcome }),
    watchQueues(next) {
      queues = next;
    },
    setOpenIncidentsSource(source) {
      openIncidentsSource = source;
    },
    render: () => registry.metrics(),
  };
}
