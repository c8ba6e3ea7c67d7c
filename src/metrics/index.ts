export { createMetrics, deliveryOutcomeOf, METRIC_PREFIX, QUEUE_STATES } from "./metrics.js";
export type {
  AlertOutcome,
  CountableQueue,
  CreateMetricsOptions,
  DeliveryOutcome,
  Metrics,
  QueueState,
  RedeliveryOutcome,
  RotationOutcome,
} from "./metrics.js";
export { observeRateLimit, remainingFromHeaders } from "./rate-limit.js";
export { processMetrics } from "./process-metrics.js";
export { recordScan } from "./record-scan.js";
export type { ScanOutcome } from "./record-scan.js";
