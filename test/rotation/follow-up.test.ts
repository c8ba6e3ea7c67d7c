import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { IncidentOutcome } from "../../src/jobs/incidents.js";
import type { Dispatcher, RepoRef } from "../../src/jobs/types.js";
import type { SightedFinding } from "../../src/render/types.js";
import { settleBackground } from "../../src/alerts/background.js";
import { createInProcessLock } from "../../src/lock/keyed-lock.js";
import { dispatchFollowUps, followUpJobs } from "../../src/rotation/follow-up.js";
import { testOctokit } from "../helpers/octokit.js";
import { scanText } from "../../src/scanner/index.js";
import type { VerificationResult } from "../../src/stripe/index.js";
import { fakeKey, fakeWebhookSecret } from "../helpers/fake-keys.js";

const repo: RepoRef = { installationId: 1, owner: "octo", repo: "shop", repoId: 4242 };
const sha = "d".repeat(40);

function sightings(text: string): SightedFinding[] {
  return scanText(text, { path: "app.js", pepper: "p".repeat(16) }).map((finding) => ({ finding, location: { path: "app.js", line: finding.line, commitSha: sha } }));
}

const unavailable: VerificationResult = { verdict: "unknown", retryable: true, reason: "Stripe answered HTTP 503" };
const active: VerificationResult = { verdict: "active", retryable: false, reason: "ok" };

describe("followUpJobs", () => {
  const seen = sightings(`a = "${fakeKey("sk", "live")}"\nb = "${fakeWebhookSecret()}"\n`);
  const [secret, webhook] = seen;
  const outcomes: IncidentOutcome[] = [
    { fingerprint: secret?.finding.fingerprint ?? "", issueNumber: 7, action: "created" },
    { fingerprint: webhook?.finding.fingerprint ?? "", issueNumber: 8, action: "created" },
  ];

  it("rotates new incidents of the kinds the operator listed, with ids only", () => {
    const jobs = followUpJobs({ repo, sightings: seen, outcomes, verdicts: new Map(), autoRotateKinds: ["secret"] });
    expect(jobs).toEqual([
      {
        name: "rotate-key",
        data: {
          ...repo,
          issueNumber: 7,
          fingerprint: secret?.finding.fingerprint,
          location: { commitSha: sha, path: "app.js", line: 1 },
          requestId: "auto-7",
          trigger: "auto",
        },
      },
    ]);
  });

  it("does not rotate an incident that already existed", () => {
    const again = outcomes.map((outcome) => ({ ...outcome, action: "commented" as const }));
    expect(followUpJobs({ repo, sightings: seen, outcomes: again, verdicts: new Map(), autoRotateKinds: ["secret", "webhook-secret"] })).toEqual([]);
  });

  it("schedules a later check only for keys Stripe could not judge", () => {
    const verdicts = new Map([
      [secret?.finding.fingerprint ?? "", unavailable],
      [webhook?.finding.fingerprint ?? "", active],
    ]);
    const jobs = followUpJobs({ repo, sightings: seen, outcomes, verdicts, autoRotateKinds: [] });
    expect(jobs).toMatchObject([{ name: "verify-key", data: { issueNumber: 7, requestId: "scan-7" } }]);
  });

  it("dispatches through deps.dispatcher, and runs in the background when there is no queue", async () => {
    const sent: string[] = [];
    const dispatcher: Dispatcher = { dispatch: async (name) => void sent.push(name) };
    const log = pino({ level: "silent" });
    const deps = { octokit: testOctokit(), log, pepper: "p".repeat(16), lock: createInProcessLock() };
    const jobs = followUpJobs({ repo, sightings: seen, outcomes, verdicts: new Map([[secret?.finding.fingerprint ?? "", unavailable]]), autoRotateKinds: ["secret"] });
    await dispatchFollowUps({ ...deps, dispatcher }, jobs);
    expect(sent).toEqual(["verify-key", "rotate-key"]);

    const ran: string[] = [];
    await dispatchFollowUps(deps, jobs, {
      "rotate-key": async (data) => void ran.push(`rotate ${data.requestId}`),
      "verify-key": async (data) => void ran.push(`verify ${data.requestId}`),
    });
    await settleBackground();
    expect(ran.sort()).toEqual(["rotate auto-7", "verify scan-7"]);
  });
});
