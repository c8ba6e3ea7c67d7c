import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { IncidentCache } from "../../src/jobs/incidents-cache.js";
import { raiseIncidents } from "../../src/jobs/raise-incidents.js";
import type { AfterIncidentsInput, ScanHooks } from "../../src/rotation/scan-hooks.js";
import type { VerificationResult } from "../../src/stripe/index.js";
import { FakeGitHub } from "./incidents-fake-github.js";
import { REPO, config, deps, everyLabelExists, liveKey, sighting } from "./incidents-fixtures.js";

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const REF = { installationId: 7, owner: REPO.owner, repo: REPO.repo, repoId: REPO.repoId };

/** Hooks that answer a fixed verdict and remember what they were given. */
function recordingHooks(verdict: VerificationResult | undefined) {
  const seen = { verified: 0, afterCalls: [] as AfterIncidentsInput[] };
  const hooks: ScanHooks = {
    async verify(sightings) {
      seen.verified += sightings.length;
      return new Map(verdict ? sightings.map((s) => [s.finding.fingerprint, verdict] as const) : []);
    },
    async after(_deps, input) {
      seen.afterCalls.push(input);
    },
  };
  return { hooks, seen };
}

describe("raiseIncidents", () => {
  it("checks keys before recording, shows the verdict on the new incident, then hands the outcomes on", async () => {
    const gh = new FakeGitHub().listIssues().createIssue();
    const s = sighting(liveKey());
    const { hooks, seen } = recordingHooks({ verdict: "active", retryable: false, reason: "Stripe accepted the key" });

    const outcomes = await raiseIncidents(
      deps(),
      { ref: REF, repo: REPO, sightings: [s], foundBy: "push", config: config() },
      { hooks, cache: new IncidentCache(), labelCache: everyLabelExists(), retryDelaysMs: [0, 0] },
    );

    expect(outcomes).toEqual([{ fingerprint: s.finding.fingerprint, issueNumber: 1, action: "created" }]);
    expect(seen.verified).toBe(1);
    expect(gh.issues[0]?.body).toMatch(/Active/);
    expect(seen.afterCalls).toHaveLength(1);
    expect(seen.afterCalls[0]?.repo).toEqual(REF);
    expect(seen.afterCalls[0]?.outcomes).toEqual(outcomes);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("still hands on the incidents that landed when another one failed, then fails the job", async () => {
    const gh = new FakeGitHub().listIssues().createIssue();
    nock("https://api.github.com").post(`/repos/${REPO.owner}/${REPO.repo}/issues`).reply(422, { message: "Validation Failed" });
    const first = sighting(liveKey());
    const second = sighting(liveKey(), { path: "src/other.ts" });
    const { hooks, seen } = recordingHooks(undefined);

    await expect(
      raiseIncidents(
        deps(),
        { ref: REF, repo: REPO, sightings: [first, second], foundBy: "push", config: config() },
        { hooks, cache: new IncidentCache(), labelCache: everyLabelExists(), retryDelaysMs: [0, 0] },
      ),
    ).rejects.toThrow();

    expect(gh.issues).toHaveLength(1);
    expect(seen.afterCalls).toHaveLength(1);
    expect(seen.afterCalls[0]?.outcomes.map((o) => o.action)).toEqual(["created"]);
  });
});
