/*
 * Which channels a repository's alerts go to: the names in its repo config
 * (alerts.channels), else the operator's ALERT_DEFAULT_CHANNELS. A name the
 * operator never defined is a config error, reported, never a crash.
 */
import type { AlertChannel, AlertSettings } from "./settings.js";

export interface AlertRoute {
  channels: AlertChannel[];
  /** Names from the repo config that ALERT_CHANNELS does not define. */
  unknown: string[];
}

export function routeAlerts(configured: readonly string[], settings: Pick<AlertSettings, "channels" | "defaults">): AlertRoute {
  const names = configured.length > 0 ? configured.map((name) => name.trim().toLowerCase()) : settings.defaults;
  const channels: AlertChannel[] = [];
  const unknown: string[] = [];
  for (const name of new Set(names)) {
    const channel = settings.channels.get(name);
    if (channel) channels.push(channel);
    else unknown.push(name);
  }
  return { channels, unknown };
}

/** Lines for a scan's "config errors" (or a log): one per unknown channel name. */
export function alertConfigErrors(configured: readonly string[], settings: Pick<AlertSettings, "channels" | "defaults">): string[] {
  const { unknown } = routeAlerts(configured, settings);
  const known = [...settings.channels.keys()];
  const hint = known.length > 0 ? `the operator defined: ${known.join(", ")}` : "the operator defined no alert channels";
  return unknown.map((name) => `alerts.channels: "${name}" is not an alert channel (${hint}); alerts skip it`);
}
