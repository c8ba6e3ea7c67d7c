/**
 * Shared pieces for the alert tests: a real finding from the engine (so the
 * raw key sits in memory behind it, as in production), the incident issue
 * the App would have written for it, and a nock reply for reading it back.
 */
import nock from "nock";
import { renderIncidentIssue } from "../../src/render/incident-issue.js";
import type { RepoView } from "../../src/render/types.js";
import { scanText, type Finding } from "../../src/scanner/index.js";
import type { SendAlertJob } from "../../src/jobs/types.js";
import { fakeKey } from "../helpers/fake-keys.js";

export const PEPPER = "alert-tests-pepper-0123456789";
export const REPO: RepoView = { owner: "octo", repo: "shop", htmlUrl: "https://github.com/octo/shop" };
export const SHA = "0123456789abcdef0123456789abcdef01234567";
export const ISSUE = 12;

export interface Leak {
  key: string;
  finding: Finding;
}

export function leak(prefix: "sk" | "rk" = "sk"): Leak {
  const key = fakeKey(prefix, "live");
  const [finding] = scanText(`STRIPE_KEY=${key}\n`, { path: "config/.env", pepper: PEPPER });
  if (!finding) throw new Error("the engine found no key in the fixture");
  return { key, finding };
}

export interface IssueJson {
  number: number;
  state: "open" | "closed";
  title: string;
  body: string;
  labels: { name: string }[];
  user: { type: string; login: string };
  repository_url: string;
  html_url: string;
}

export function incidentIssueJson(finding: Finding, extraLabels: string[] = []): IssueJson {
  const rendered = renderIncidentIssue({ repo: REPO, finding, location: { path: finding.path, line: finding.line, commitSha: SHA }, foundBy: "push", mentions: [] });
  return {
    number: ISSUE,
    state: "open",
    title: rendered.title,
    body: rendered.body,
    labels: ["stripe-leak-guard", ...rendered.labels, ...extraLabels].map((name) => ({ name })),
    user: { type: "Bot", login: "stripe-leak-guard[bot]" },
    repository_url: `https://api.github.com/repos/${REPO.owner}/${REPO.repo}`,
    html_url: `${REPO.htmlUrl}/issues/${ISSUE}`,
  };
}

/** GitHub answers the incident issue `times` times. */
export function serveIssue(issue: IssueJson, times = 1): void {
  nock("https://api.github.com").get(`/repos/${REPO.owner}/${REPO.repo}/issues/${issue.number}`).times(times).reply(200, issue);
}

export function alertJob(finding: Finding, overrides: Partial<SendAlertJob> = {}): SendAlertJob {
  return {
    installationId: 7,
    owner: REPO.owner,
    repo: REPO.repo,
    repoId: 4242,
    htmlUrl: REPO.htmlUrl,
    issueNumber: ISSUE,
    fingerprint: finding.fingerprint,
    event: "opened",
    eventKey: "opened",
    channel: "siem",
    ...overrides,
  };
}
