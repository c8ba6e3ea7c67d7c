/*
 * The report issue is the operator's choice (REPORT_ISSUE=true): it writes to
 * the owner's `.github` repository, which many organisations keep public for
 * their profile README, so it is off unless asked for, and even then it is
 * only ever published to a private or internal `.github` repository.
 */

export interface ReportSettings {
  enabled: boolean;
  /** Changes within one window make one refresh, run at the window's end. */
  intervalMs: number;
}

export const DEFAULT_REPORT_INTERVAL_MINUTES = 10;

export function reportSettingsFrom(env: Record<string, string | undefined>): ReportSettings {
  const enabled = env.REPORT_ISSUE === "true" || env.REPORT_ISSUE === "1";
  const minutes = Number(env.REPORT_INTERVAL_MINUTES ?? DEFAULT_REPORT_INTERVAL_MINUTES);
  const safe = Number.isFinite(minutes) && minutes >= 1 && minutes <= 1440 ? minutes : DEFAULT_REPORT_INTERVAL_MINUTES;
  return { enabled, intervalMs: safe * 60_000 };
}

let current: ReportSettings | undefined;

export function reportSettings(): ReportSettings {
  current ??= reportSettingsFrom(process.env);
  return current;
}

export function useReportSettings(settings: ReportSettings | undefined): void {
  current = settings;
}

/** The end of the window `now` falls in: every change in one window asks for the same refresh. */
export function windowEnd(now: number, intervalMs: number): number {
  return Math.floor(now / intervalMs) * intervalMs + intervalMs;
}
