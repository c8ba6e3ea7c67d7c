import { createHash } from "node:crypto";
import type { Finding } from "../../src/scanner/index.js";
import type { CheckRunInput, IncidentInput, PrSummaryInput, RepoView, SightedFinding } from "../../src/render/index.js";

/*
 * Deterministic, made-up inputs for docs/examples. Findings never hold a raw
 * key, so none is needed: redacted forms and fingerprints are all the
 * renderers see. Hashes of fixed labels stand in for fingerprints and shas.
 */

function hex(label: string, length: number): string {
  return createHash("sha256").update(`stripe-leak-guard docs example: ${label}`).digest("hex").slice(0, length);
}

export const exampleRepo: RepoView = { owner: "acme", repo: "storefront", htmlUrl: "https://github.com/acme/storefront" };

const headSha = hex("head commit", 40);
const firstSha = hex("first commit", 40);

function finding(fields: Omit<Finding, "fingerprint" | "endColumn"> & { length: number }): Finding {
  const { length, ...rest } = fields;
  return { ...rest, endColumn: rest.column + length, fingerprint: hex(`${rest.redacted} fingerprint`, 64) };
}

export const liveSecret = finding({
  ruleId: "stripe-secret-live",
  path: "config/payments.rb",
  line: 12,
  column: 24,
  length: 107,
  kind: "secret",
  mode: "live",
  severity: "critical",
  redacted: "sk_live_…a1B2",
  commit: { sha: firstSha, author: "Dana Developer", date: "2026-11-28T09:41:07Z" },
});

export const testSecret = finding({
  ruleId: "stripe-secret-test",
  path: "spec/support/stripe_helper.rb",
  line: 4,
  column: 17,
  length: 107,
  kind: "secret",
  mode: "test",
  severity: "low",
  redacted: "sk_test_…Qx7d",
});

export const webhookSecret = finding({
  ruleId: "stripe-webhook-secret",
  path: "deploy/.env.production",
  line: 3,
  column: 23,
  length: 38,
  kind: "webhook-secret",
  mode: "unknown",
  severity: "high",
  redacted: "whsec_…9fKe",
});

export const restrictedLive = finding({
  ruleId: "stripe-restricted-live",
  path: "scripts/export customers.ts",
  line: 8,
  column: 30,
  length: 107,
  kind: "restricted",
  mode: "live",
  severity: "high",
  redacted: "rk_live_…Zt03",
  encoding: "base64",
});

export const publishableLive = finding({
  ruleId: "stripe-publishable-live",
  path: "web/src/checkout.tsx",
  line: 21,
  column: 35,
  length: 107,
  kind: "publishable",
  mode: "live",
  severity: "info",
  redacted: "pk_live_…m4Pq",
});

function at(f: Finding, sha = headSha): SightedFinding {
  return { finding: f, location: { path: f.path, line: f.line, commitSha: sha, ref: "feature/checkout-v2", pushedBy: "dana-dev", prNumber: 42 } };
}

export const incidentInputs: Record<"live" | "webhook" | "test", IncidentInput> = {
  live: {
    repo: exampleRepo,
    finding: liveSecret,
    location: { path: liveSecret.path, line: liveSecret.line, commitSha: firstSha, ref: "main", pushedBy: "dana-dev" },
    foundBy: "push",
    mentions: ["@acme/payments-oncall", "sec-lead"],
    verification: "active",
    extraLabels: ["stripe-leak"],
  },
  webhook: {
    repo: exampleRepo,
    finding: webhookSecret,
    location: { path: webhookSecret.path, line: webhookSecret.line, commitSha: headSha, ref: "feature/checkout-v2", pushedBy: "dana-dev", prNumber: 42 },
    foundBy: "pull-request",
    mentions: ["@acme/payments-oncall"],
    extraLabels: ["stripe-leak"],
  },
  test: {
    repo: exampleRepo,
    finding: testSecret,
    location: { path: testSecret.path, line: testSecret.line, commitSha: headSha, ref: "main", pushedBy: "dana-dev" },
    foundBy: "push",
    mentions: [],
    extraLabels: ["stripe-leak"],
  },
};

const prFindings: SightedFinding[] = [at(publishableLive), at(testSecret), at(liveSecret), at(webhookSecret), at(restrictedLive)];

export const prSummaryInput: PrSummaryInput = {
  repo: exampleRepo,
  prNumber: 42,
  headSha,
  findings: prFindings,
  incomplete: [],
  configErrors: [],
  incidents: new Map([
    [liveSecret.fingerprint, 17],
    [webhookSecret.fingerprint, 18],
    [restrictedLive.fingerprint, 19],
  ]),
};

export const incompletePrSummaryInput: PrSummaryInput = {
  repo: exampleRepo,
  prNumber: 43,
  headSha,
  findings: [],
  incomplete: ["assets/bundle.min.js: GitHub left out the patch and the blob could not be fetched (HTTP 502)"],
  configErrors: ["paths.ignore: expected array, received string"],
  incidents: new Map(),
};

export const inlineCommentInput: SightedFinding = at(liveSecret);

export const checkRunInput: CheckRunInput = {
  repo: exampleRepo,
  headSha,
  findings: prFindings,
  failOn: "high",
  incomplete: [],
  configErrors: [],
};
