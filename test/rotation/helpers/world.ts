/**
 * Everything a verify/rotate/command test needs: a fake key planted in a file
 * at a commit, the incident issue that records it, a stateful fake GitHub, a
 * trace-level log capture and JobDeps. `leaks()` lists every place the raw
 * key showed up that it must not (GitHub request bodies, log lines, extra
 * strings such as errors and job data).
 */
import { pino } from "pino";
import { fingerprintKey } from "../../../src/scanner/index.js";
import type { LabelCache } from "../../../src/github/labels.js";
import type { JobDeps, RotateKeyJob } from "../../../src/jobs/types.js";
import { createInProcessLock } from "../../../src/lock/keyed-lock.js";
import { blobUrl } from "../../../src/render/links.js";
import { incidentMarker } from "../../../src/render/markers.js";
import { fakeKey } from "../../helpers/fake-keys.js";
import { testOctokit } from "../../helpers/octokit.js";
import { FakeGitHub } from "./fake-github.js";

export const PEPPER = "a-test-pepper-of-enough-length";
export const SHA = "c0ffee".padEnd(40, "0");
export const PATH = "config/stripe settings.js";
export const LINE = 3;

/** A label cache that believes every label exists, so tests see only the calls they are about. */
export function knowsEveryLabel(): LabelCache {
  class Everything extends Set<string> {
    override has(): boolean {
      return true;
    }
  }
  return new Map([["octo/shop", new Everything()]]);
}

export interface World {
  key: string;
  fingerprint: string;
  github: FakeGitHub;
  logLines: string[];
  deps: JobDeps;
  job: RotateKeyJob;
  fileText: string;
  leaks(extra?: readonly string[]): string[];
}

export function createWorld(options: { prefix?: "sk" | "rk"; fileText?: (key: string) => string } = {}): World {
  const key = fakeKey(options.prefix ?? "sk", "live");
  const fingerprint = fingerprintKey(key, PEPPER);
  const github = new FakeGitHub();
  const fileText = options.fileText?.(key) ?? `// payments\nconst stripe = require("stripe");\nconst client = stripe("${key}");\n`;
  github.issue.title = "Stripe live secret key leaked";
  github.issue.body = [
    "A Stripe key leaked.",
    "",
    `- [${PATH}#L${LINE}](${blobUrl({ owner: "octo", repo: "shop", htmlUrl: github.htmlUrl }, SHA, PATH, LINE)})`,
    "",
    incidentMarker(fingerprint),
  ].join("\n");
  github.issue.labels = ["stripe-leak-guard", "severity: critical"];

  const logLines: string[] = [];
  const log = pino({ level: "trace" }, { write: (line: string) => void logLines.push(line) });
  const deps: JobDeps = { octokit: testOctokit(), log, pepper: PEPPER, lock: createInProcessLock() };
  const job: RotateKeyJob = {
    installationId: 1,
    owner: "octo",
    repo: "shop",
    repoId: 4242,
    issueNumber: github.issue.number,
    fingerprint,
    location: { commitSha: SHA, path: PATH, line: LINE },
    requestId: "delivery-1",
    trigger: "auto",
  };
  return {
    key,
    fingerprint,
    github,
    logLines,
    deps,
    job,
    fileText,
    leaks(extra = []) {
      const places = [
        ...github.bodies.map((body) => `github request: ${body.slice(0, 80)}`),
        ...logLines.map((line) => `log: ${line.slice(0, 80)}`),
        ...extra.map((text) => `other: ${text.slice(0, 80)}`),
      ];
      const texts = [...github.bodies, ...logLines, ...extra];
      return places.filter((_, index) => texts[index]?.includes(key) || texts[index]?.includes(key.slice(8)));
    },
  };
}
