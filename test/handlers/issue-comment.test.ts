import { generateKeyPairSync } from "node:crypto";
import { createRequire } from "node:module";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createIssueCommentHandler } from "../../src/handlers/issue-comment.js";
import type { Dispatcher, JobDataByName, JobName } from "../../src/jobs/types.js";
import { TEST_API } from "../helpers/octokit.js";
import { testProbot } from "../helpers/probot.js";
import { createWorld, knowsEveryLabel, LINE, PATH, SHA, type World } from "../rotation/helpers/world.js";

type Dispatched = { [N in JobName]: { name: N; data: JobDataByName[N] } }[JobName];

let privateKey = "";
let world: World;
let dispatched: Dispatched[];
let probot: Probot;
let logLines: string[];

function dispatcher(): Dispatcher {
  return {
    async dispatch(name, data) {
      dispatched.push({ name, data } as Dispatched);
    },
  };
}

function setUp(verifyKeys = true): void {
  logLines = [];
  probot = new Probot({
    appId: 1,
    privateKey,
    // A defaults function: Probot layers its own throttle options over plain defaults.
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
    log: pino({ level: "trace" }, { write: (line: string) => void logLines.push(line) }),
  });
  void probot.load((app) => {
    app.on("issue_comment.created", createIssueCommentHandler({ dispatcher: dispatcher(), verifyKeys, labelCache: knowsEveryLabel() }));
  });
}

const examples: unknown = createRequire(import.meta.url)("@octokit/webhooks-examples/api.github.com/index.json");

const template = (() => {
  const group = (examples as { name: string; examples: Record<string, unknown>[] }[]).find((entry) => entry.name === "issue_comment");
  const created = group?.examples.find((example) => example.action === "created");
  if (!created) throw new Error("no issue_comment.created example");
  return created;
})();

function payload(body: string, options: { login?: string; bot?: boolean; issueBody?: string; pullRequest?: boolean } = {}) {
  const event = structuredClone(template) as Record<string, Record<string, unknown>>;
  const login = options.login ?? "alice";
  const user = { ...(event.sender as object), login, type: options.bot ? "Bot" : "User" };
  event.installation = { id: 1, node_id: "x" };
  event.repository = { ...event.repository, id: 4242, name: "shop", full_name: "octo/shop", html_url: "https://github.com/octo/shop", owner: { ...(event.repository?.owner as object), login: "octo" } };
  event.issue = {
    ...event.issue,
    number: 7,
    state: "open",
    labels: [],
    body: options.issueBody ?? world.github.issue.body,
    user: { ...(event.issue?.user as object), login: "stripe-leak-guard[bot]", type: "Bot" },
    ...(options.pullRequest ? { pull_request: { url: "x" } } : {}),
  };
  event.comment = { ...event.comment, id: 555, body, user };
  event.sender = user;
  return event;
}

async function receive(body: string, options: Parameters<typeof payload>[1] = {}): Promise<void> {
  await probot.receive({ id: "delivery-1", name: "issue_comment", payload: payload(body, options) } as never);
}

function serveToken(): void {
  nock(TEST_API).post("/app/installations/1/access_tokens").reply(201, { token: "test-token", expires_at: "2099-01-01T00:00:00Z", permissions: { issues: "write" } });
}

beforeAll(() => {
  privateKey = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
});

beforeEach(() => {
  nock.disableNetConnect();
  world = createWorld();
  dispatched = [];
  setUp();
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(pending).toEqual([]);
  expect(world.leaks([...logLines, JSON.stringify(dispatched)])).toEqual([]);
});

describe("issue_comment.created commands on incident issues", () => {
  it("verify from a writer becomes a verify-key job holding ids and the recorded location", async () => {
    serveToken();
    world.github.servePermission("alice", "write").serveReactions();
    await receive("/stripe-leak-guard verify");
    expect(dispatched).toEqual([
      {
        name: "verify-key",
        data: {
          installationId: 1,
          owner: "octo",
          repo: "shop",
          repoId: 4242,
          issueNumber: 7,
          fingerprint: world.fingerprint,
          location: { commitSha: SHA, path: PATH, line: LINE },
          requestId: "comment-555",
          requestedBy: "alice",
        },
      },
    ]);
    expect(world.github.reactions).toEqual([{ commentId: 555, content: "eyes" }]);
  });

  it("rotate from a maintainer becomes a rotate-key job triggered by the command", async () => {
    serveToken();
    world.github.servePermission("alice", "maintain").serveReactions();
    await receive("/stripe-leak-guard rotate");
    expect(dispatched).toMatchObject([{ name: "rotate-key", data: { trigger: "command", requestedBy: "alice", fingerprint: world.fingerprint } }]);
  });

  it.each([["read"], ["triage"]] as const)("a user with %s access gets a polite refusal and nothing runs", async (permission) => {
    serveToken();
    world.github.servePermission("mallory", permission).serveCommentPosts();
    await receive("/stripe-leak-guard rotate", { login: "mallory" });
    expect(dispatched).toEqual([]);
    expect(world.github.appComments()[0]).toContain("Sorry @mallory, only people with write access");
  });

  it("someone who is not a collaborator gets the same refusal", async () => {
    serveToken();
    world.github.serveNotCollaborator("mallory").serveCommentPosts();
    await receive("/stripe-leak-guard resolve wont-fix", { login: "mallory" });
    expect(world.github.appComments()[0]).toContain("only people with write access");
    expect(world.github.issue.state).toBe("open");
  });

  it("resolve false-positive closes as not planned, labels the reason and gives the allow entry", async () => {
    serveToken();
    world.github.servePermission("alice", "admin").serveCommentPosts().serveAddLabels().serveUpdates();
    await receive("/stripe-leak-guard resolve false-positive");
    const [comment] = world.github.appComments();
    expect(comment).toContain(`  - fingerprint: ${world.fingerprint}`);
    expect(world.github.issue.labels).toContain("resolved: false-positive");
    expect(world.github.issue.state).toBe("closed");
    expect(world.github.issue.stateReason).toBe("not_planned");
  });

  it("resolve revoked closes as completed", async () => {
    serveToken();
    world.github.servePermission("alice", "write").serveCommentPosts().serveAddLabels().serveUpdates();
    await receive("/stripe-leak-guard resolve revoked");
    expect(world.github.issue.stateReason).toBe("completed");
    expect(world.github.issue.labels).toContain("resolved: revoked");
  });

  it("a malformed command gets the usage", async () => {
    serveToken();
    world.github.servePermission("alice", "write").serveCommentPosts();
    await receive("/stripe-leak-guard resolve later");
    expect(world.github.appComments()[0]).toContain("`later` is not a resolution");
    expect(world.github.appComments()[0]).toContain("/stripe-leak-guard verify");
  });

  it("verify is refused while the operator has verification off", async () => {
    setUp(false);
    serveToken();
    world.github.servePermission("alice", "write").serveCommentPosts();
    await receive("/stripe-leak-guard verify");
    expect(dispatched).toEqual([]);
    expect(world.github.appComments()[0]).toContain("STRIPE_VERIFY_KEYS");
  });

  it("ignores bots (the App itself), non-incident issues, pull requests and ordinary comments, without any API call", async () => {
    await receive("/stripe-leak-guard rotate", { bot: true, login: "stripe-leak-guard[bot]" });
    await receive("/stripe-leak-guard rotate", { issueBody: "Just a bug report" });
    await receive("/stripe-leak-guard rotate", { pullRequest: true });
    await receive("Thanks, rolling it now");
    expect(dispatched).toEqual([]);
    expect(world.github.calls).toEqual([]);
  });

  it("is wired into the App: createApp hands issue_comment.created to this handler", async () => {
    const { probot: app } = await testProbot({ dispatcher: dispatcher() });
    serveToken();
    world.github.servePermission("alice", "write").serveReactions();
    await app.receive({ id: "delivery-2", name: "issue_comment", payload: payload("/stripe-leak-guard rotate") } as never);
    expect(dispatched).toMatchObject([{ name: "rotate-key", data: { requestId: "comment-555" } }]);
  });
});
