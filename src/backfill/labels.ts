/*
 * The label that says how an incident was found, added next to the repo
 * config's own labels. Passed through the incident module's existing
 * config labels and describeLabel hook, so that module needs no change.
 */
import type { RepoConfig } from "../config/repo-config.js";
import type { LabelSpec } from "../github/labels.js";
import { labelDefinition } from "../render/labels.js";

export const FOUND_BY_LABELS = {
  backfill: { name: "found-by:backfill", color: "c2e0c6", description: "Found by the scan of existing files when the App was installed" },
  history: { name: "found-by:history", color: "bfd4f2", description: "Found by a full scan of the repository's git history" },
} as const satisfies Record<string, LabelSpec>;

export type FoundByLabel = keyof typeof FOUND_BY_LABELS;

export function withFoundByLabel(config: RepoConfig, how: FoundByLabel): RepoConfig {
  const name = FOUND_BY_LABELS[how].name;
  if (config.incidents.labels.includes(name)) return config;
  return { ...config, incidents: { ...config.incidents, labels: [...config.incidents.labels, name] } };
}

export function describeFoundByLabel(name: string): LabelSpec {
  const own = Object.values(FOUND_BY_LABELS).find((label) => label.name === name);
  return own ? { ...own } : labelDefinition(name);
}
