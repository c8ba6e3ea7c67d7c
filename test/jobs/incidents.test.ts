import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { IncidentCache } from "../../src/jobs/incidents-cache.js";
import { parseSeenMarkers, seenMarkers } from "../../src/jobs/incidents-locations.js";
import { INCIDENT_TRACKING_LABEL, IncidentsError, findIncidentNumbers, recordSightings, type IncidentOptions } from "../../src/jobs/incidents.js";
import { createInProcessLock } from "../../src/lock/keyed-lock.js";
import { renderIncidentIssue } from "../../src/render/incident-issue.js";
import { labelDefinition } from "../../src/render/labels.js";
import { parseIncidentMarker } from "../../src/render/markers.js";
import type { SightedFinding } from "../../src/render/types.js";
import { FakeGitHub } from "./incidents-fake-github.js";
import { REPO, config, deps, everyLabelExists, liveKey, sha, sighting } from "./incidents-fixtures.js";

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const seenMarkerFor = (s: SightedFinding) => seenMarkers([s.location]);

/** Fresh per-process caches for each test, labels already present unless a test is about them. */
function fresh(over: IncidentOptions = {}): IncidentOptions {
  return { cache: new IncidentCache(), labelCache: everyLabelExists(), retryDelaysMs: [0, 0], ...over };
}

describe("recordSightings: one incident per (repository, fingerprint)", () => {
  it("opens an incident with the marker, the location, labels and assignees", async () => {
    const key = liveKey();
    const gh = new FakeGitHub().listIssues().createIssue();
    const s = sighting(key);
    const outcomes = await recordSightings(deps(), { repo: REPO, sightings: [s], foundBy: "push", config: config({ assignees: ["@octocat"] }) }, fresh());

    expect(outcomes).toEqual([{ fingerprint: s.finding.fingerprint, issueNumber: 1, action: "created" }]);
    expect(gh.issues).toHaveLength(1);
    const issue = gh.issues[0]!;
    expect(parseIncidentMarker(issue.body)).toBe(s.finding.fingerprint);
    expect(issue.body).toContain("config/stripe.ts");
    expect(issue.body).toContain(s.finding.redacted);
    expect(parseSeenMarkers([issue.body]).size).toBe(1);
    expect(issue.labels).toContain(INCIDENT_TRACKING_LABEL.name);
    expect(issue.labels).toContain("stripe-leak");
    expect(issue.labels.length).toBeGreaterThanOrEqual(4);
    expect(issue.assignees).toEqual(["octocat"]);
    expect(gh.bodies.join("\n")).not.toContain(key);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("adds one comment with only the new locations on a second sighting, and nothing on a redelivery", async () => {
    const key = liveKey();
    const d = deps();
    const options = fresh();
    const first = sighting(key, { path: "config/first.ts" });
    const second = sighting(key, { path: "src/second.ts", line: 9, commitSha: sha("b") });
    const gh = new FakeGitHub().listIssues().createIssue().getIssue(2).listComments(2).createComment();
    const input = { repo: REPO, foundBy: "push" as const, config: config() };

    await recordSightings(d, { ...input, sightings: [first] }, options);
    const again = await recordSightings(d, { ...input, sightings: [first, second] }, options);
    const redelivered = await recordSightings(d, { ...input, sightings: [first, second] }, options);

    expect(again).toEqual([{ fingerprint: first.finding.fingerprint, issueNumber: 1, action: "commented" }]);
    expect(redelivered).toEqual([{ fingerprint: first.finding.fingerprint, issueNumber: 1, action: "unchanged" }]);
    expect(gh.issues).toHaveLength(1);
    const comments = gh.issues[0]!.comments;
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain("src/second.ts");
    expect(comments[0]).not.toContain("config/first.ts");
    expect(parseSeenMarkers(comments).size).toBe(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("finds the incident again from a fresh process (no cache) and adds nothing for known locations", async () => {
    const key = liveKey();
    const s = sighting(key);
    const gh = new FakeGitHub().listIssues(2).createIssue().listComments();
    const input = { repo: REPO, sightings: [s], foundBy: "push" as const, config: config() };
    await recordSightings(deps(), input, fresh());
    const outcomes = await recordSightings(deps(), input, fresh());
    expect(outcomes).toEqual([{ fingerprint: s.finding.fingerprint, issueNumber: 1, action: "unchanged" }]);
    expect(gh.posts("issues") + gh.posts("comments")).toBe(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("reopens a closed incident with a comment when the key shows up somewhere new", async () => {
    const key = liveKey();
    const options = fresh();
    const gh = new FakeGitHub().listIssues().createIssue().getIssue(3).listComments(3).updateIssue().createComment();
    const input = { repo: REPO, foundBy: "push" as const, config: config() };
    await recordSightings(deps(), { ...input, sightings: [sighting(key)] }, options);
    gh.issues[0]!.state = "closed";

    // The same event again is not a new sighting: the closed incident stays closed.
    const redelivered = await recordSightings(deps(), { ...input, sightings: [sighting(key)] }, options);
    expect(redelivered[0]!.action).toBe("unchanged");
    expect(gh.issues[0]!.state).toBe("closed");

    const outcomes = await recordSightings(deps(), { ...input, sightings: [sighting(key, { commitSha: sha("c"), path: "app/rebased.ts" })] }, options);
    expect(outcomes[0]).toMatchObject({ issueNumber: 1, action: "reopened" });
    expect(gh.issues[0]!.state).toBe("open");
    expect(gh.issues[0]!.comments).toHaveLength(1);
    expect(gh.issues[0]!.comments[0]).toContain("app/rebased.ts");

    const after = await recordSightings(deps(), { ...input, sightings: [sighting(key, { commitSha: sha("c"), path: "app/rebased.ts" })] }, options);
    expect(after[0]!.action).toBe("unchanged");
    expect(gh.issues).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("counts a pull request's line once across synchronizes, and its merge push as one new sighting", async () => {
    const key = liveKey();
    const options = fresh();
    const gh = new FakeGitHub().listIssues().createIssue().getIssue(3).listComments(3).createComment();
    const inPr = (head: string) => sighting(key, { commitSha: sha(head), ref: "pull/7", prNumber: 7 });
    const pr = { repo: REPO, foundBy: "pull-request" as const, config: config() };
    await recordSightings(deps(), { ...pr, sightings: [inPr("1")] }, options);
    const synced = await recordSightings(deps(), { ...pr, sightings: [inPr("2")] }, options);
    const merged = await recordSightings(deps(), { repo: REPO, foundBy: "push", config: config(), sightings: [sighting(key, { commitSha: sha("m") })] }, options);
    const mergeRedelivered = await recordSightings(deps(), { repo: REPO, foundBy: "push", config: config(), sightings: [sighting(key, { commitSha: sha("m") })] }, options);
    expect([synced[0]!.action, merged[0]!.action, mergeRedelivered[0]!.action]).toEqual(["unchanged", "commented", "unchanged"]);
    expect(gh.issues[0]!.comments).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("groups one key found in several places of one event into one incident, listing the other places once", async () => {
    const key = liveKey();
    const gh = new FakeGitHub().listIssues().createIssue().createComment();
    const sightings = [
      sighting(key, { path: "a.ts" }),
      sighting(key, { path: "b.ts", line: 7 }),
      sighting(key, { path: "c.ts", line: 8 }),
      sighting(key, { path: "b.ts", line: 7 }),
    ];
    const outcomes = await recordSightings(deps(), { repo: REPO, sightings, foundBy: "push", config: config() }, fresh());
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]!.action).toBe("created");
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]!.comments).toHaveLength(1);
    expect(parseSeenMarkers(gh.issues[0]!.comments).size).toBe(2);
    expect(gh.issues[0]!.comments[0]).toContain("c.ts");
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("opens two incidents for two keys", async () => {
    const gh = new FakeGitHub().listIssues(2).createIssue(2);
    const a = sighting(liveKey(), { path: "a.ts" });
    const b = sighting(liveKey(), { path: "b.ts" });
    const outcomes = await recordSightings(deps(), { repo: REPO, sightings: [a, b], foundBy: "push", config: config() }, fresh());
    expect(outcomes.map((outcome) => outcome.action)).toEqual(["created", "created"]);
    expect(new Set(outcomes.map((outcome) => outcome.issueNumber))).toEqual(new Set([1, 2]));
    expect(gh.issues.map((issue) => parseIncidentMarker(issue.body))).toEqual([a.finding.fingerprint, b.finding.fingerprint]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("recordSightings: concurrent deliveries", () => {
  const input = (sightings: SightedFinding[]) => ({ repo: REPO, sightings, foundBy: "push" as const, config: config() });

  it("gives one issue and no comment for 5 concurrent deliveries of the same sighting", async () => {
    const lock = createInProcessLock();
    const options = fresh();
    const s = sighting(liveKey());
    const gh = new FakeGitHub().listIssues().createIssue().getIssue(4).listComments(4);
    const results = await Promise.all(Array.from({ length: 5 }, () => recordSightings(deps({ lock }), input([s]), options)));
    expect(results.map((outcomes) => outcomes[0]!.action).sort()).toEqual(["created", "unchanged", "unchanged", "unchanged", "unchanged"]);
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]!.comments).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("gives one issue when each delivery has its own cache (workers in several processes sharing a lock)", async () => {
    const lock = createInProcessLock();
    const s = sighting(liveKey());
    const gh = new FakeGitHub().listIssues(5).createIssue().listComments(4);
    const results = await Promise.all(Array.from({ length: 5 }, () => recordSightings(deps({ lock }), input([s]), fresh())));
    expect(results.flat().filter((outcome) => outcome.action === "created")).toHaveLength(1);
    expect(gh.issues).toHaveLength(1);
    expect(gh.posts("comments")).toBe(0);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("gives one issue and one comment per new location for 5 concurrent pushes of the same key", async () => {
    const lock = createInProcessLock();
    const options = fresh();
    const key = liveKey();
    const gh = new FakeGitHub().listIssues().createIssue().getIssue(4).listComments(4).createComment(4);
    const pushes = ["1", "2", "3", "4", "5"].map((seed) => [sighting(key, { commitSha: sha(seed) })]);
    await Promise.all(pushes.map((sightings) => recordSightings(deps({ lock }), input(sightings), options)));
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]!.comments).toHaveLength(4);
    expect(parseSeenMarkers([gh.issues[0]!.body, ...gh.issues[0]!.comments]).size).toBe(5);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("recordSightings: which findings raise incidents", () => {
  it("skips kinds and modes the config does not raise, and allowed fingerprints, without calling GitHub", async () => {
    const testKey = sighting(liveKey(), {}, { mode: "test", severity: "low" });
    const publishable = sighting(liveKey(), {}, { kind: "publishable", severity: "info" });
    const allowed = sighting(liveKey());
    const allow = [{ fingerprint: allowed.finding.fingerprint.slice(0, 16), reason: "documented sample" }];
    const markedAllowed = { ...sighting(liveKey()), allowedReason: "rotated, kept for a demo" };
    const outcomes = await recordSightings(
      deps(),
      { repo: REPO, sightings: [testKey, publishable, allowed, markedAllowed], foundBy: "push", config: config({}, allow) },
      fresh(),
    );
    expect(outcomes.map((outcome) => outcome.action)).toEqual(["skipped", "skipped", "skipped", "skipped"]);
    expect(outcomes.every((outcome) => outcome.issueNumber === undefined)).toBe(true);
  });

  it("raises test keys and webhook secrets when the config lists their kind and mode", async () => {
    const gh = new FakeGitHub().listIssues(2).createIssue(2);
    const testKey = sighting(liveKey(), {}, { mode: "test", severity: "low" });
    const webhook = sighting(liveKey(), { path: "w.ts" }, { kind: "webhook-secret", mode: "unknown", severity: "high" });
    const outcomes = await recordSightings(
      deps(),
      { repo: REPO, sightings: [testKey, webhook], foundBy: "push", config: config({ kinds: ["secret", "webhook-secret"], modes: ["test", "unknown"] }) },
      fresh(),
    );
    expect(outcomes.map((outcome) => outcome.action)).toEqual(["created", "created"]);
    expect(gh.issues).toHaveLength(2);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("recordSightings: labels", () => {
  it("creates the missing labels with colour and description before opening the incident", async () => {
    const s = sighting(liveKey());
    const cfg = config({ labels: ["stripe-leak", "security"] });
    const rendered = renderIncidentIssue({ repo: REPO, finding: s.finding, location: s.location, foundBy: "push", mentions: [] });
    const wanted = new Set([INCIDENT_TRACKING_LABEL.name, ...rendered.labels, ...cfg.incidents.labels]);
    const gh = new FakeGitHub().listLabels().createLabel(wanted.size - 1, "security").listIssues().createIssue();
    gh.seedLabels(["Stripe-Leak"]);

    await recordSightings(deps(), { repo: REPO, sightings: [s], foundBy: "push", config: cfg }, fresh({ labelCache: new Map() }));

    const created = gh.labels.slice(1);
    expect(created.map((label) => label.name).sort()).toEqual([...wanted].filter((name) => name !== "stripe-leak" && name !== "security").sort());
    for (const label of created) {
      expect(label.color).toMatch(/^[0-9a-f]{6}$/i);
      expect(label.description.length).toBeGreaterThan(0);
      if (label.name !== INCIDENT_TRACKING_LABEL.name) expect(label).toEqual(labelDefinition(label.name));
    }
    expect(new Set(gh.issues[0]!.labels)).toEqual(wanted);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("recordSightings: failures and retries", () => {
  it("opens the incident even when its labels cannot be created", async () => {
    nock("https://api.github.com").get("/repos/octo/shop/labels").query(true).reply(200, []);
    nock("https://api.github.com").post("/repos/octo/shop/labels").reply(403, { message: "Resource not accessible by integration" });
    const gh = new FakeGitHub().listIssues().createIssue();
    const outcomes = await recordSightings(deps(), { repo: REPO, sightings: [sighting(liveKey())], foundBy: "push", config: config() }, fresh({ labelCache: new Map() }));
    expect(outcomes[0]!.action).toBe("created");
    expect(gh.issues[0]!.labels).toContain(INCIDENT_TRACKING_LABEL.name);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("yields exactly one issue when POST /issues creates it and then answers 502", async () => {
    const s = sighting(liveKey());
    const gh = new FakeGitHub().listIssues(2).createIssue(1, { status: 502, stored: true });
    const outcomes = await recordSightings(deps(), { repo: REPO, sightings: [s], foundBy: "push", config: config() }, fresh());
    expect(outcomes).toEqual([{ fingerprint: s.finding.fingerprint, issueNumber: 1, action: "created" }]);
    expect(gh.issues).toHaveLength(1);
    expect(gh.posts("issues")).toBe(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("yields exactly one issue with plugin-retry on too: the create is never retried blindly", async () => {
    const s = sighting(liveKey());
    // Room for a blind retry: had plugin-retry re-sent the POST, it would have made a second issue.
    const gh = new FakeGitHub().listIssues(2).createIssue(2, { status: 502, stored: true });
    const outcomes = await recordSightings(deps({ octokit: { retry: true } }), { repo: REPO, sightings: [s], foundBy: "push", config: config() }, fresh());
    expect(outcomes[0]!.action).toBe("created");
    expect(gh.issues).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual(["POST https://api.github.com:443/repos/octo/shop/issues"]);
  });

  it("tries the create again when the failed attempt did not land", async () => {
    const s = sighting(liveKey());
    const gh = new FakeGitHub().listIssues(2).createIssue(1, { status: 503, stored: false }).createIssue();
    const outcomes = await recordSightings(deps(), { repo: REPO, sightings: [s], foundBy: "push", config: config() }, fresh());
    expect(outcomes[0]).toMatchObject({ issueNumber: 1, action: "created" });
    expect(gh.issues).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("does not duplicate a sighting comment that landed before a 502", async () => {
    const key = liveKey();
    const options = fresh();
    const gh = new FakeGitHub().listIssues().createIssue().getIssue().listComments(2).createComment(1, { status: 502, stored: true });
    const input = { repo: REPO, foundBy: "push" as const, config: config() };
    await recordSightings(deps(), { ...input, sightings: [sighting(key)] }, options);
    const outcomes = await recordSightings(deps(), { ...input, sightings: [sighting(key, { commitSha: sha("d") })] }, options);
    expect(outcomes[0]!.action).toBe("commented");
    expect(gh.issues[0]!.comments).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("opens the incident unassigned when GitHub rejects a configured assignee", async () => {
    const gh = new FakeGitHub().listIssues().createIssue(2);
    const outcomes = await recordSightings(
      deps(),
      { repo: REPO, sightings: [sighting(liveKey())], foundBy: "push", config: config({ assignees: ["nobody-such"] }) },
      fresh(),
    );
    expect(outcomes[0]!.action).toBe("created");
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]!.assignees).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("records the other keys when one fails, then reports the failure", async () => {
    const a = sighting(liveKey(), { path: "a.ts" });
    const b = sighting(liveKey(), { path: "b.ts" });
    nock("https://api.github.com").get("/repos/octo/shop/issues").query(true).reply(403, { message: "Resource not accessible by integration" });
    const gh = new FakeGitHub().listIssues().createIssue();
    const error = await recordSightings(deps(), { repo: REPO, sightings: [a, b], foundBy: "push", config: config() }, fresh()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncidentsError);
    const failed = error as IncidentsError;
    expect(failed.failures.map((failure) => failure.fingerprint)).toEqual([a.finding.fingerprint]);
    expect(failed.outcomes).toEqual([{ fingerprint: b.finding.fingerprint, issueNumber: 1, action: "created" }]);
    expect(gh.issues).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("recordSightings: finding the incident again", () => {
  it("pages through many incidents to find an old one", async () => {
    const key = liveKey();
    const s = sighting(key);
    const gh = new FakeGitHub().listIssues(2).listComments();
    const body = renderIncidentIssue({ repo: REPO, finding: s.finding, location: s.location, foundBy: "push", mentions: [] }).body;
    gh.seedIssue({ body: `${body}\n<!-- stripe-leak-guard:seen ${"0".repeat(32)} -->`, labels: [INCIDENT_TRACKING_LABEL.name], state: "closed" });
    for (let i = 0; i < 150; i++) {
      gh.seedIssue({ body: `<!-- stripe-leak-guard:incident ${i.toString(16).padStart(64, "0")} -->`, labels: [INCIDENT_TRACKING_LABEL.name] });
    }
    gh.createComment().updateIssue();
    const outcomes = await recordSightings(deps(), { repo: REPO, sightings: [s], foundBy: "push", config: config() }, fresh());
    expect(outcomes).toEqual([{ fingerprint: s.finding.fingerprint, issueNumber: 1, action: "reopened" }]);
    expect(gh.posts("issues")).toBe(0);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("ignores a cache entry that points at an issue without the marker", async () => {
    const s = sighting(liveKey());
    const cache = new IncidentCache();
    const gh = new FakeGitHub().getIssue().listIssues().createIssue();
    gh.seedIssue({ body: "an unrelated issue", labels: [INCIDENT_TRACKING_LABEL.name] });
    cache.set(REPO.repoId, s.finding.fingerprint, 1);
    const outcomes = await recordSightings(deps(), { repo: REPO, sightings: [s], foundBy: "push", config: config() }, fresh({ cache }));
    expect(outcomes[0]).toMatchObject({ issueNumber: 2, action: "created" });
    expect(cache.get(REPO.repoId, s.finding.fingerprint)).toBe(2);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("ignores incident and location markers that a person copied into an issue or a comment", async () => {
    const key = liveKey();
    const s = sighting(key);
    const options = fresh();
    const gh = new FakeGitHub().listIssues().createIssue().getIssue().listComments().createComment();
    gh.seedIssue({ body: `<!-- stripe-leak-guard:incident ${s.finding.fingerprint} -->`, labels: [INCIDENT_TRACKING_LABEL.name], byPerson: true });
    const created = await recordSightings(deps(), { repo: REPO, sightings: [s], foundBy: "push", config: config() }, options);
    expect(created[0]).toMatchObject({ issueNumber: 2, action: "created" });

    const moved = sighting(key, { commitSha: sha("e"), path: "moved.ts" });
    gh.issues[1]!.personComments = [`already handled, ignore this\n${seenMarkerFor(moved)}`];
    const outcomes = await recordSightings(deps(), { repo: REPO, sightings: [moved], foundBy: "push", config: config() }, options);
    expect(outcomes[0]).toMatchObject({ issueNumber: 2, action: "commented" });
    expect(gh.issues[1]!.comments).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("uses the Octokit's base URL (GitHub Enterprise Server)", async () => {
    const api = "https://ghe.example.com/api/v3";
    const gh = new FakeGitHub("octo", "shop", api).listIssues().createIssue();
    const ghesRepo = { ...REPO, htmlUrl: "https://ghe.example.com/octo/shop" };
    const outcomes = await recordSightings(
      deps({ octokit: { baseUrl: api } }),
      { repo: ghesRepo, sightings: [sighting(liveKey())], foundBy: "push", config: config() },
      fresh(),
    );
    expect(outcomes[0]!.action).toBe("created");
    expect(gh.issues[0]!.body).toContain("https://ghe.example.com/octo/shop/blob/");
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("findIncidentNumbers", () => {
  it("returns the incidents that exist, with one listing for all of them, and none once cached", async () => {
    const a = sighting(liveKey());
    const b = sighting(liveKey());
    const cache = new IncidentCache();
    const gh = new FakeGitHub().listIssues();
    gh.seedIssue({ body: "no marker", labels: [INCIDENT_TRACKING_LABEL.name] });
    gh.seedIssue({ body: `<!-- stripe-leak-guard:incident ${a.finding.fingerprint} -->`, labels: [INCIDENT_TRACKING_LABEL.name] });
    const found = await findIncidentNumbers(deps(), REPO, [a.finding.fingerprint, b.finding.fingerprint], { cache });
    expect(found).toEqual(new Map([[a.finding.fingerprint, 2]]));
    expect(await findIncidentNumbers(deps(), REPO, [a.finding.fingerprint], { cache })).toEqual(new Map([[a.finding.fingerprint, 2]]));
    expect(gh.calls).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
