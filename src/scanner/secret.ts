import type { Finding } from "./types.js";

/*
 * Raw keys live only in this WeakMap, keyed by the Finding object that the
 * engine produced. Copies of a finding (spread, JSON, structured clone, a
 * job payload) therefore carry nothing secret, and the key is collected
 * together with the finding.
 */
const secrets = new WeakMap<Finding, string>();

export function attachSecret(finding: Finding, key: string): Finding {
  secrets.set(finding, key);
  return finding;
}

/** The raw key behind a finding produced in this process, for in-memory use only. */
export function revealSecret(finding: Finding): string | undefined {
  return secrets.get(finding);
}
