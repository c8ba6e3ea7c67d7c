import { createMetrics } from "./metrics.js";
import type { Metrics } from "./metrics.js";

let shared: Metrics | undefined;

/**
 * The process's one Metrics, for modules that record without having it in
 * their deps (handlers, processors). The server and the worker expose this
 * same instance on /metrics. Tests build their own with createMetrics().
 */
export function processMetrics(): Metrics {
  shared ??= createMetrics();
  return shared;
}
