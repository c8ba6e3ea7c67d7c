/**
 * Handlers are thin: an unmodified @octokit/webhooks-examples payload becomes
 * ids-only job data handed to the dispatcher, with no GitHub request at all.
 */
import { createRequire } from "node:module";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pullRequestJobFrom } from "../../src/handlers/pull-request.js";
import { commitsToRescan, pushJobFrom } from "../../src/handlers/push.js";
import type { Dispatcher, JobDataByName, JobName } from "../../src/jobs/types.js";
import { testProbot } from "../helpers/probot.js";

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];
type PushPayload = EmitterWebhookEvent<"push">["payload"];
type PullPayload = EmitterWebhookEvent<"pull_request.synchronize">["payload"];

function examplesOf<T>(name: string): T[] {
  return (examples.find((definition) => definition.name === name)?.examples ?? []).map((example) => structuredClone(example) as unknown as T);
}

function recordingDispatcher(): Dispatcher & { jobs: { name: JobName; data: unknown }[] } {
  const jobs: { name: JobName; data: unknown }[] = [];
  return {
    jobs,
    async dispatch<N extends JobName>(name: N, data: JobDataByName[N]) {
      jobs.push({ name, data });
    },
  };
}

describe("push handler", () => {
  const pushes = examplesOf<PushPayload>("push");

  it("skips tags and deleted branches", () => {
    const tag = pushes.find((payload) => payload.ref.startsWith("refs/tags/") && !payload.deleted)!;
    const deleted = pushes.find((payload) => payload.deleted)!;
    expect(pushJobFrom(tag, "d1")).toStrictEqual({ skip: "not a branch" });
    expect(pushJobFrom(deleted, "d2")).toStrictEqual({ skip: "branch deleted" });
  });

  it("maps a branch push to ids only", () => {
    const branch = pushes.find((payload) => payload.ref === "refs/heads/master" && payload.installation)!;
    expect(pushJobFrom(branch, "delivery-1")).toStrictEqual({
      installationId: branch.installation!.id,
      owner: "Codertocat",
      repo: "Hello-World",
      repoId: branch.repository.id,
      htmlUrl: "https://github.com/Codertocat/Hello-World",
      deliveryId: "delivery-1",
      ref: "refs/heads/master",
      before: branch.before,
      after: branch.after,
      created: true,
      forced: false,
      defaultBranch: "master",
      pusher: "Codertocat",
    });
  });
});

describe("commits a push scan reads one by one", () => {
  const sha = (seed: string): string => seed.padStart(40, "0");
  const [a, b, c, d] = [sha("a"), sha("b"), sha("c"), sha("d")];

  it("reads none when the commits change disjoint files, or when only one commit changed anything", () => {
    expect(commitsToRescan([{ id: a, added: ["x.ts"], modified: [], removed: [] }, { id: b, added: [], modified: ["y.ts"], removed: ["z.ts"] }], b)).toStrictEqual({ shas: [], skipped: 0 });
    expect(commitsToRescan([{ id: a, added: ["x.ts"], modified: ["y.ts"], removed: [] }], a)).toStrictEqual({ shas: [], skipped: 0 });
  });

  it("reads a commit that added to a file another commit changed, but not the head nor a commit that only removed it", () => {
    const commits = [
      { id: a, added: ["config/stripe.ts"], modified: [], removed: [] },
      { id: b, added: [], modified: [], removed: ["config/stripe.ts"] },
      { id: c, added: [], modified: ["README.md"], removed: [] },
      { id: d, added: [], modified: ["README.md", "other.ts"], removed: [] },
    ];
    expect(commitsToRescan(commits, d)).toStrictEqual({ shas: [a, c], skipped: 0 });
  });

  it("keeps the newest commits up to the limit and counts the rest", () => {
    const commits = [a, b, c, d].map((id) => ({ id, added: [], modified: ["shared.ts"], removed: [] }));
    expect(commitsToRescan(commits, sha("head"), 2)).toStrictEqual({ shas: [c, d], skipped: 2 });
  });

  it("puts the list on the job only when there is one", () => {
    const branch = structuredClone(examplesOf<PushPayload>("push").find((payload) => payload.ref === "refs/heads/master" && payload.installation)!);
    const template = branch.commits[0] ?? ({} as PushPayload["commits"][number]);
    branch.commits = [
      { ...template, id: a, added: ["a.ts"], modified: [], removed: [] },
      { ...template, id: branch.after, added: [], modified: ["a.ts"], removed: [] },
    ];
    expect(pushJobFrom(branch, "d")).toMatchObject({ rescanCommits: [a] });
    expect(pushJobFrom(branch, "d")).not.toHaveProperty("rescanSkipped");
    branch.commits = branch.commits.slice(1);
    expect(pushJobFrom(branch, "d")).not.toHaveProperty("rescanCommits");
  });

  it("caps the list at 100 commits, the newest, and carries how many it left out", () => {
    const branch = structuredClone(examplesOf<PushPayload>("push").find((payload) => payload.ref === "refs/heads/master" && payload.installation)!);
    const template = branch.commits[0] ?? ({} as PushPayload["commits"][number]);
    const ids = Array.from({ length: 101 }, (_, index) => sha(`c${index}`));
    branch.commits = [...ids, branch.after].map((id) => ({ ...template, id, added: [], modified: ["shared.ts"], removed: [] }));
    const job = pushJobFrom(branch, "d");
    expect(job).toMatchObject({ rescanCommits: ids.slice(1), rescanSkipped: 1 });
  });
});

describe("pull request handler", () => {
  const pulls = examplesOf<PullPayload>("pull_request");

  it("maps synchronize with its previous head, and marks forks", () => {
    const sync = pulls.find((payload) => payload.action === "synchronize")!;
    const job = pullRequestJobFrom(sync, "delivery-2");
    expect(job).toMatchObject({ number: sync.number, headSha: sync.pull_request.head.sha, before: sync.before, fromFork: false, commits: 1 });
    const fork = structuredClone(sync);
    fork.pull_request.head.repo = { ...fork.pull_request.head.repo!, id: 1 };
    expect(pullRequestJobFrom(fork, "delivery-3")).toMatchObject({ fromFork: true });
  });
});

describe("the app", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("dispatches opened, synchronize and reopened pull requests and branch pushes, with no GitHub request", async () => {
    const dispatcher = recordingDispatcher();
    const { probot } = await testProbot({ dispatcher });
    const requests: string[] = [];
    nock.emitter.on("no match", (request: { path?: string }) => requests.push(request.path ?? "?"));

    let delivery = 0;
    for (const name of ["push", "pull_request", "installation"] as const) {
      for (const payload of examplesOf<{ action?: string; installation?: unknown }>(name)) {
        if (!payload.installation) continue;
        await probot.receive({ id: `d${delivery++}`, name, payload } as EmitterWebhookEvent);
      }
    }

    expect(requests).toStrictEqual([]);
    const names = dispatcher.jobs.map((job) => job.name);
    const prActions = examplesOf<{ action: string; installation?: unknown }>("pull_request").filter(
      (payload) => payload.installation && ["opened", "synchronize", "reopened"].includes(payload.action),
    ).length;
    expect(names.filter((name) => name === "scan-pull-request")).toHaveLength(prActions);
    expect(names.filter((name) => name === "scan-push")).toHaveLength(2);
    for (const job of dispatcher.jobs) expect(JSON.stringify(job.data)).not.toMatch(/token|patch|"body"/i);
  });
});
