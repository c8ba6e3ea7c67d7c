/**
 * Canary: a raw key held in memory behind a Finding (as the engine leaves it)
 * must not reach any request sent to GitHub, any log line at trace level
 * (ours and Probot's request logging, which prints request bodies), or any
 * error, through every path of the incident module: create, comment,
 * reopen, and failures.
 */
import { Writable } from "node:stream";
import nock from "nock";
import { pino } from "pino";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { IncidentCache } from "../../src/jobs/incidents-cache.js";
import { recordSightings } from "../../src/jobs/incidents.js";
import { attachSecret } from "../../src/scanner/secret.js";
import { revealSecret, scanText } from "../../src/scanner/index.js";
import { FakeGitHub } from "./incidents-fake-github.js";
import { PEPPER, REPO, config, deps, liveKey, sha, sighting } from "./incidents-fixtures.js";

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const log = pino({ level: "trace" }, stream);
  const octokitLog = {
    debug: (...args: unknown[]) => lines.push(JSON.stringify(args)),
    info: (...args: unknown[]) => lines.push(JSON.stringify(args)),
    warn: (...args: unknown[]) => lines.push(JSON.stringify(args)),
    error: (...args: unknown[]) => lines.push(JSON.stringify(args)),
  };
  return { lines, log, octokitLog };
}

describe("incident canary", () => {
  it("never sends or logs the raw key, on create, comment, reopen or failure", async () => {
    const key = liveKey();
    const planted = sighting(key, { path: "config/live.ts" });
    attachSecret(planted.finding, key);
    expect(revealSecret(planted.finding)).toBe(key);
    const { lines, log, octokitLog } = capture();
    const d = deps({ log, octokit: { log: octokitLog } });
    const options = { cache: new IncidentCache(), labelCache: new Map(), retryDelaysMs: [0] };
    const gh = new FakeGitHub()
      .listLabels()
      .createLabel(5)
      .listIssues(2)
      .createIssue(1, { status: 502, stored: true })
      .getIssue(3)
      .listComments(3)
      .createComment(2)
      .updateIssue();
    const input = { repo: REPO, foundBy: "push" as const, config: config({ mentions: ["@octo/security"] }) };

    const moved = sighting(key, { path: "config/moved.ts", commitSha: sha("b") });
    attachSecret(moved.finding, key);
    const back = sighting(key, { path: "config/back.ts", commitSha: sha("c") });
    attachSecret(back.finding, key);

    await recordSightings(d, { ...input, sightings: [planted] }, options);
    await recordSightings(d, { ...input, sightings: [planted, moved] }, options);
    gh.issues[0]!.state = "closed";
    await recordSightings(d, { ...input, sightings: [back] }, options);

    // A failure path too: GitHub refuses the comment, and the error travels up.
    nock("https://api.github.com").post("/repos/octo/shop/issues/1/comments").reply(403, { message: "Resource not accessible by integration" });
    const late = sighting(key, { path: "config/late.ts", commitSha: sha("d") });
    attachSecret(late.finding, key);
    const error = await recordSightings(d, { ...input, sightings: [late] }, options).catch((e: unknown) => e);

    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]!.comments).toHaveLength(2);
    expect(gh.bodies.length).toBeGreaterThanOrEqual(9);
    for (const body of gh.bodies) expect(body).not.toContain(key);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toContain(key);
    expect(error).toBeInstanceOf(Error);
    const err = error as Error & { failures: { error: unknown }[] };
    expect(`${err.message}\n${err.stack}\n${JSON.stringify(err.failures.map((failure) => String(failure.error)))}`).not.toContain(key);
    expect(JSON.stringify(err, Object.getOwnPropertyNames(err))).not.toContain(key);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("never sends or logs a key that the real engine found", async () => {
    const key = liveKey();
    const findings = scanText(`import Stripe from "stripe";\nexport const stripe = new Stripe("${key}");\n`, { path: "src/pay.ts", pepper: PEPPER });
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(revealSecret(finding!)).toBe(key);
    const planted = { finding: finding!, location: { path: finding!.path, line: finding!.line, commitSha: sha("e"), pushedBy: "octocat" } };
    const elsewhere = { finding: finding!, location: { ...planted.location, commitSha: sha("f") } };
    const { lines, log, octokitLog } = capture();
    const d = deps({ log, octokit: { log: octokitLog } });
    const gh = new FakeGitHub().listLabels().createLabel(5).listIssues().createIssue().getIssue().listComments().createComment();
    const options = { cache: new IncidentCache(), labelCache: new Map() };
    const input = { repo: REPO, foundBy: "push" as const, config: config() };

    const created = await recordSightings(d, { ...input, sightings: [planted] }, options);
    const commented = await recordSightings(d, { ...input, sightings: [planted, elsewhere] }, options);

    expect([created[0]!.action, commented[0]!.action]).toEqual(["created", "commented"]);
    expect(gh.issues[0]!.body).toContain(finding!.redacted);
    for (const body of gh.bodies) expect(body).not.toContain(key);
    for (const line of lines) expect(line).not.toContain(key);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
