/**
 * Pushes through the whole App: webhook -> handler -> in-process dispatcher
 * -> scan -> incidents, against a stateful GitHub served by nock.
 */
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { fakeKey } from "../helpers/fake-keys.js";
import { freshFakeGitHubPerTest } from "../helpers/fake-github-per-test.js";
import { testProbot } from "../helpers/probot.js";
import { type FakeGitHub, fakeSha, type FakeFile } from "../fixtures/github/fake-github.js";
import { pushEvent } from "../fixtures/github/payloads.js";

type PushCommit = EmitterWebhookEvent<"push">["payload"]["commits"][number];

/** The payload's per-commit file lists (pushEvent leaves `commits` empty); the handler reads nothing else of them. */
function withCommits(event: EmitterWebhookEvent<"push">, commits: Pick<PushCommit, "id" | "added" | "modified" | "removed">[]): EmitterWebhookEvent<"push"> {
  event.payload.commits = commits.map((commit) => ({ ...commit, distinct: true }) as PushCommit);
  return event;
}

const INCIDENT_ROUTES = ["issues", "issue-comments", "labels", "contents"] as const;

function manyFiles(count: number, keyAt: number | undefined, key: string): FakeFile[] {
  return Array.from({ length: count }, (_, index) => ({
    filename: `src/module-${String(index).padStart(3, "0")}.ts`,
    content: index === keyAt ? `export const a = 1;\nexport const stripeKey = "${key}";\n` : `export const value${index} = ${index};\n`,
  }));
}

describe("push", () => {
  let fake: FakeGitHub;
  freshFakeGitHubPerTest((fresh) => (fake = fresh));

  it("opens one incident at the key's location", async () => {
    const key = fakeKey("sk", "live");
    const before = fakeSha("main-head");
    const after = fake.addCommit("c1", [{ filename: "config/stripe.ts", content: `// billing\nexport const key = "${key}";\n` }]);
    fake.setComparison(before, after, [after]);
    fake.serve("token", "compare").allow(...INCIDENT_ROUTES);
    const { probot } = await testProbot();

    await probot.receive(pushEvent(fake, { before, after }));

    const incidents = fake.incidents();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.body).toContain(`${fake.htmlUrl}/blob/${after}/config/stripe.ts#L2`);
    expect(incidents[0]?.body).toContain("octocat");
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it.each([
    ["first", 0],
    ["last", 399],
  ])("finds the key in the %s of 400 changed files (compare lists 300; the commit's own pages the rest)", async (_which, index) => {
    const key = fakeKey("sk", "live");
    const before = fakeSha("main-head");
    const after = fake.addCommit("big", manyFiles(400, index, key));
    fake.setComparison(before, after, [after]);
    fake.serve("token", "compare", "commit").allow(...INCIDENT_ROUTES);
    const { probot } = await testProbot();

    await probot.receive(pushEvent(fake, { before, after }));

    expect(fake.incidents()).toHaveLength(1);
    expect(fake.incidents()[0]?.body).toContain(`/blob/${after}/src/module-${String(index).padStart(3, "0")}.ts#L2`);
    // One compare, then the commit's files page by page (100 per page).
    expect(fake.repoCalls().filter((call) => call.includes("/commits/"))).toHaveLength(4);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("fetches the blob of a file whose patch GitHub left out, scans a fetched binary blob as bytes, and skips images by name", async () => {
    const key = fakeKey("rk", "live");
    const compiled = fakeKey("sk", "live");
    const before = fakeSha("main-head");
    const big = `${"// filler\n".repeat(50)}const restricted = "${key}";\n`;
    const after = fake.addCommit("large", [
      { filename: "generated/huge.js", content: big, patch: null },
      { filename: "assets/logo.png", content: "png", binary: true },
      { filename: "data/blob.dat", content: `opaque\n${compiled}\0tail`, binary: true },
    ]);
    fake.setComparison(before, after, [after]);
    fake.serve("token", "compare", "blob").allow(...INCIDENT_ROUTES);
    const { probot, log } = await testProbot();

    await probot.receive(pushEvent(fake, { before, after }));

    const bodies = fake.incidents().map((incident) => incident.body);
    expect(bodies).toHaveLength(2);
    expect(bodies.some((body) => body.includes("generated/huge.js#L51"))).toBe(true);
    // The .dat costs one blob request; its bytes are scanned, so the key compiled into it is found.
    expect(bodies.some((body) => body.includes("data/blob.dat#L2"))).toBe(true);
    expect(bodies.join("\n")).not.toContain(compiled);
    // The .png is skipped by name, without a request.
    expect(fake.repoCalls().filter((call) => call.includes("/git/blobs/"))).toHaveLength(2);
    expect(log.lines.some((line) => line.includes('"binarySkipped":1'))).toBe(true);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("adds a sighting, not a second issue, when the same key arrives again (another branch, a rebase, a squash)", async () => {
    const key = fakeKey("sk", "live");
    const base = fakeSha("main-head");
    const first = fake.addCommit("feature", [{ filename: "a.ts", content: `const k = "${key}";\n` }]);
    const rebased = fake.addCommit("rebased", [{ filename: "a.ts", content: `// rebased\nconst k = "${key}";\n` }], [fakeSha("new-main")]);
    const squashed = fake.addCommit("squash", [{ filename: "lib/a.ts", content: `const k = "${key}";\n` }]);
    fake.setComparison(base, first, [first]);
    fake.setComparison("main", rebased, [rebased]);
    fake.setComparison(fakeSha("main-before-squash"), squashed, [squashed]);
    fake.serve("token", "compare").allow(...INCIDENT_ROUTES);
    const { probot } = await testProbot();

    await probot.receive(pushEvent(fake, { ref: "refs/heads/feature", before: base, after: first }));
    await probot.receive(pushEvent(fake, { ref: "refs/heads/other", before: "0".repeat(40), after: rebased, created: true }));
    await probot.receive(pushEvent(fake, { ref: "refs/heads/main", before: fakeSha("main-before-squash"), after: squashed }));

    const incidents = fake.incidents();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.comments).toHaveLength(2);
    expect(incidents[0]?.comments[0]?.body).toContain(`/blob/${rebased}/a.ts#L2`);
    expect(incidents[0]?.comments[1]?.body).toContain(`/blob/${squashed}/lib/a.ts#L1`);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("yields one issue when the same delivery arrives 5 times at once", async () => {
    const key = fakeKey("sk", "live");
    const before = fakeSha("main-head");
    const after = fake.addCommit("c1", [{ filename: "a.ts", content: `const k = "${key}";\n` }]);
    fake.setComparison(before, after, [after]);
    fake.serve("token", "compare").allow(...INCIDENT_ROUTES);
    const { probot } = await testProbot();
    const event = pushEvent(fake, { before, after });

    await Promise.all(Array.from({ length: 5 }, () => probot.receive(structuredClone(event))));

    expect(fake.incidents()).toHaveLength(1);
    expect(fake.incidents()[0]?.comments).toHaveLength(0);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("costs one compare request (and its pages) for a clean push", async () => {
    const before = fakeSha("main-head");
    const shas = Array.from({ length: 150 }, (_, index) => fake.addCommit(`clean-${index}`, [{ filename: `f${index}.ts`, content: `export const v = ${index};\n` }]));
    const after = shas[shas.length - 1]!;
    fake.setComparison(before, after, shas);
    fake.serve("token", "compare");
    const { probot } = await testProbot();

    // The payload lists each commit's files: all disjoint, so no commit is read on its own.
    const commits = shas.map((id, index) => ({ id, added: [`f${index}.ts`], modified: [], removed: [] }));
    await probot.receive(withCommits(pushEvent(fake, { before, after }), commits));

    const compare = `GET /repos/octo/shop/compare/${before}...${after}`;
    expect(fake.repoCalls()).toStrictEqual([compare, compare]);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("finds a key that one commit of the push added and a later one removed, reading only that commit besides the compare", async () => {
    const key = fakeKey("sk", "live");
    const before = fakeSha("main-head");
    const leaked = fake.addCommit("adds-key", [{ filename: "config/stripe.ts", content: `export const key = "${key}";\n` }], [before]);
    const other = fake.addCommit("docs", [{ filename: "README.md", content: "# shop\n", status: "modified" }], [leaked]);
    const after = fake.addCommit(
      "removes-key",
      [{ filename: "config/stripe.ts", content: "export const key = process.env.STRIPE_SECRET_KEY;\n", status: "modified" }],
      [other],
    );
    fake.setComparison(before, after, [leaked, other, after]);
    fake.serve("token", "compare", "commit").allow(...INCIDENT_ROUTES);
    const { probot } = await testProbot();

    await probot.receive(
      withCommits(pushEvent(fake, { before, after }), [
        { id: leaked, added: ["config/stripe.ts"], modified: [], removed: [] },
        { id: other, added: [], modified: ["README.md"], removed: [] },
        { id: after, added: [], modified: ["config/stripe.ts"], removed: [] },
      ]),
    );

    const incidents = fake.incidents();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.body).toContain(`${fake.htmlUrl}/blob/${leaked}/config/stripe.ts#L1`);
    expect(fake.repoCalls().filter((call) => call.includes("/compare/") || call.includes("/commits/"))).toStrictEqual([
      `GET /repos/octo/shop/compare/${before}...${after}`,
      `GET /repos/octo/shop/commits/${leaked}`,
    ]);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("costs only the compare request for a clean multi-commit push whose commits change disjoint files", async () => {
    const before = fakeSha("main-head");
    const first = fake.addCommit("one", [{ filename: "a.ts", content: "export const a = 1;\n" }], [before]);
    const after = fake.addCommit("two", [{ filename: "b.ts", content: "export const b = 2;\n", status: "modified" }], [first]);
    fake.setComparison(before, after, [first, after]);
    fake.serve("token", "compare");
    const { probot } = await testProbot();

    await probot.receive(
      withCommits(pushEvent(fake, { before, after }), [
        { id: first, added: ["a.ts"], modified: [], removed: [] },
        { id: after, added: [], modified: ["b.ts"], removed: [] },
      ]),
    );

    expect(fake.repoCalls()).toStrictEqual([`GET /repos/octo/shop/compare/${before}...${after}`]);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });

  it("costs nothing for a branch deletion, and does not fail when before equals after", async () => {
    fake.serve();
    const { probot } = await testProbot();
    const head = fakeSha("x");

    await probot.receive(pushEvent(fake, { before: head, after: "0".repeat(40), deleted: true }));
    await probot.receive(pushEvent(fake, { ref: "refs/heads/main", before: head, after: head }));

    expect(fake.calls).toStrictEqual([]);
  });

  it("compares a force push before...after and falls back to the default branch when GitHub no longer has `before`", async () => {
    const key = fakeKey("sk", "live");
    const gone = fakeSha("rewritten");
    const after = fake.addCommit("forced", [{ filename: "a.ts", content: `const k = "${key}";\n` }], [fakeSha("main-head")]);
    fake.setComparison(gone, after, "404");
    fake.setComparison("main", after, [after]);
    fake.serve("token", "compare").allow(...INCIDENT_ROUTES);
    const { probot } = await testProbot();

    await probot.receive(pushEvent(fake, { before: gone, after, forced: true }));

    expect(fake.repoCalls().slice(0, 2)).toStrictEqual([`GET /repos/octo/shop/compare/${gone}...${after}`, `GET /repos/octo/shop/compare/main...${after}`]);
    expect(fake.incidents()).toHaveLength(1);
    expect(nock.pendingMocks()).toStrictEqual([]);
  });
});
