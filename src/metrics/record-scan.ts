import type { Metrics } from "./metrics.js";

/** What every scan result has in common (push, pull request, backfilled repository). */
export interface ScanOutcome {
  findings: ReadonlyArray<{ kind: string }>;
  complete: boolean;
  incidents?: ReadonlyArray<{ action: string }>;
  /** Bytes of diff or content scanned, when the scan knows them. */
  bytes?: number;
}

/** One call at the end of a scan processor: duration, bytes, findings by kind, incidents opened. */
export function recordScan(metrics: Metrics, source: string, seconds: number, outcome: ScanOutcome): void {
  metrics.scanCompleted(source, seconds, outcome.bytes ?? 0, outcome.complete);
  const byKind = new Map<string, number>();
  for (const finding of outcome.findings) byKind.set(finding.kind, (byKind.get(finding.kind) ?? 0) + 1);
  for (const [kind, count] of byKind) metrics.findingsFound(kind, count);
  for (const incident of outcome.incidents ?? []) if (incident.action === "created") metrics.incidentOpened();
}
