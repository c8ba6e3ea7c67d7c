/** Findings, sightings and deps for the incident tests. Keys are built at runtime and never leave this process. */
import { pino, type Logger } from "pino";
import { defaultRepoConfig, type RepoConfig } from "../../src/config/repo-config.js";
import type { LabelCache } from "../../src/github/labels.js";
import type { JobDeps } from "../../src/jobs/types.js";
import { createInProcessLock, type KeyedLock } from "../../src/lock/keyed-lock.js";
import type { Location, SightedFinding } from "../../src/render/types.js";
import { fingerprintKey } from "../../src/scanner/fingerprint.js";
import type { Finding } from "../../src/scanner/index.js";
import { fakeKey } from "../helpers/fake-keys.js";
import { testOctokit, type TestOctokitOptions } from "../helpers/octokit.js";

export const PEPPER = "incident-tests-pepper-0123456789";

export const REPO = { owner: "octo", repo: "shop", htmlUrl: "https://github.com/octo/shop", repoId: 4242 };

export function sha(seed: string): string {
  return seed.repeat(40).slice(0, 40);
}

export function findingFor(key: string, over: Partial<Finding> = {}): Finding {
  return {
    ruleId: "stripe-secret-live",
    path: "config/stripe.ts",
    line: 3,
    column: 17,
    endColumn: 17 + key.length,
    kind: "secret",
    mode: "live",
    severity: "critical",
    redacted: `${key.slice(0, key.lastIndexOf("_") + 1)}\u2026${key.slice(-4)}`,
    fingerprint: fingerprintKey(key, PEPPER),
    ...over,
  };
}

export function sighting(key: string, location: Partial<Location> = {}, over: Partial<Finding> = {}): SightedFinding {
  const finding = findingFor(key, over);
  return {
    finding,
    location: { path: finding.path, line: finding.line, commitSha: sha("a"), ref: "refs/heads/main", pushedBy: "octocat", ...location },
  };
}

export function liveKey(): string {
  return fakeKey("sk", "live");
}

export function config(incidents: Partial<RepoConfig["incidents"]> = {}, allow: RepoConfig["allow"] = []): RepoConfig {
  return { ...defaultRepoConfig, allow, incidents: { ...defaultRepoConfig.incidents, ...incidents } };
}

export function deps(options: { lock?: KeyedLock; log?: Logger; octokit?: TestOctokitOptions } = {}): JobDeps {
  return {
    octokit: testOctokit(options.octokit),
    log: options.log ?? pino({ level: "silent" }),
    pepper: PEPPER,
    lock: options.lock ?? createInProcessLock(),
  };
}

/** A label cache that believes every label exists: for tests that are not about labels. */
class EveryLabel extends Set<string> {
  override has(): boolean {
    return true;
  }
}

export function everyLabelExists(): LabelCache {
  return new Map([[`${REPO.owner}/${REPO.repo}`, new EveryLabel()]]);
}
