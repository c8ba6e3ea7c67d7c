import { createRequire } from "node:module";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isScanHistoryCommand } from "../../src/commands/scan-history.js";
import { backfillJobForAddedRepos, MAX_REPO_IDS_IN_JOB } from "../../src/handlers/installation.js";
import type { Dispatcher, JobDataByName, JobName } from "../../src/jobs/types.js";
import { TEST_API } from "../helpers/octokit.js";
import { testProbot } from "../helpers/probot.js";

type Dispatched = { [N in JobName]: { name: N; data: JobDataByName[N] } }[JobName];

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples/api.github.com/index.json") as { name: string; examples: Record<string, unknown>[] }[];
function example(name: string, action: string): Record<string, Record<string, unknown>> {
  const found = examples.find((entry) => entry.name === name)?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no ${name}.${action} example`);
  return structuredClone(found) as Record<string, Record<string, unknown>>;
}

let dispatched: Dispatched[];
const recorder: Dispatcher = {
  async dispatch(name, data) {
    dispatched.push({ name, data } as Dispatched);
  },
};

beforeEach(() => {
  dispatched = [];
  nock.disableNetConnect();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(pending).toEqual([]);
});

describe("installation events", () => {
  it("installation.created queues one backfill-installation job, ids only, without a GitHub call", async () => {
    const { probot } = await testProbot({ dispatcher: recorder });
    const payload = example("installation", "created");
    payload.installation = { ...payload.installation, id: 31, account: { ...(payload.installation?.account as object), login: "octo-org" } };
    await probot.receive({ id: "d-created", name: "installation", payload } as never);
    expect(dispatched).toEqual([{ name: "backfill-installation", data: { installationId: 31, owner: "octo-org", repo: "*", deliveryId: "d-created" } }]);
  });

  it("installation_repositories.added queues a backfill of just the added repositories", async () => {
    const { probot } = await testProbot({ dispatcher: recorder });
    const payload = example("installation_repositories", "added");
    payload.installation = { ...payload.installation, id: 32 };
    (payload as Record<string, unknown>).repositories_added = [{ id: 5, name: "a", full_name: "o/a", private: false }, { id: 6, name: "b", full_name: "o/b", private: true }];
    await probot.receive({ id: "d-added", name: "installation_repositories", payload } as never);
    expect(dispatched).toHaveLength(1);
    expect(dispatched[0]?.name).toBe("backfill-installation");
    expect(dispatched[0]?.data).toMatchObject({ installationId: 32, repo: "*", deliveryId: "d-added", repoIds: [5, 6] });
  });

  it("leaves the ids out when there are too many for a job (the job lists the installation and skips what is done)", () => {
    const payload = example("installation_repositories", "added") as never as Parameters<typeof backfillJobForAddedRepos>[0];
    const many = { ...payload, repositories_added: Array.from({ length: MAX_REPO_IDS_IN_JOB + 1 }, (_, i) => ({ id: i, name: `r${i}`, full_name: `o/r${i}`, private: false })) };
    expect(backfillJobForAddedRepos(many as never, "d")?.repoIds).toBeUndefined();
    expect(backfillJobForAddedRepos({ ...payload, repositories_added: [] } as never, "d")).toBeUndefined();
  });
});

describe("/stripe-leak-guard scan-history", () => {
  function comment(body: string, login = "alice"): Record<string, unknown> {
    const event = example("issue_comment", "created");
    const user = { ...(event.sender as object), login, type: "User" };
    event.installation = { id: 33, node_id: "x" };
    event.repository = { ...event.repository, id: 4343, name: "shop", full_name: "octo/shop", html_url: "https://github.com/octo/shop", owner: { ...(event.repository?.owner as object), login: "octo" } };
    // An ordinary issue opened by a person: not an incident.
    event.issue = { ...event.issue, number: 12, state: "open", labels: [], body: "Could someone check the old commits?", user };
    event.comment = { ...event.comment, id: 888, body, user };
    event.sender = user;
    return event;
  }

  function serveToken(): void {
    nock(TEST_API).post("/app/installations/33/access_tokens").reply(201, { token: "test-token", expires_at: "2099-01-01T00:00:00Z" });
  }

  it("from a writer, on any issue, queues a history scan and acknowledges with 👀", async () => {
    const { probot } = await testProbot({ dispatcher: recorder });
    serveToken();
    nock(TEST_API).get("/repos/octo/shop/collaborators/alice/permission").reply(200, { permission: "write", role_name: "write" });
    nock(TEST_API).post("/repos/octo/shop/issues/comments/888/reactions", { content: "eyes" }).reply(201, {});
    await probot.receive({ id: "d-cmd", name: "issue_comment", payload: comment("/stripe-leak-guard scan-history") } as never);
    expect(dispatched).toEqual([
      {
        name: "scan-history-repo",
        data: { installationId: 33, owner: "octo", repo: "shop", repoId: 4343, htmlUrl: "https://github.com/octo/shop", issueNumber: 12, requestId: "comment-888", requestedBy: "alice" },
      },
    ]);
  });

  it("from someone without write access, is refused with a comment and nothing is queued", async () => {
    const { probot } = await testProbot({ dispatcher: recorder });
    serveToken();
    nock(TEST_API).get("/repos/octo/shop/collaborators/mallory/permission").reply(200, { permission: "read", role_name: "triage" });
    let said = "";
    nock(TEST_API)
      .post("/repos/octo/shop/issues/12/comments", (body: { body: string }) => {
        said = body.body;
        return true;
      })
      .reply(201, {});
    await probot.receive({ id: "d-cmd2", name: "issue_comment", payload: comment("/stripe-leak-guard scan-history", "mallory") } as never);
    expect(dispatched).toEqual([]);
    expect(said).toContain("only people with write access");
  });

  it("is recognised only on an unquoted, unfenced command line", () => {
    expect(isScanHistoryCommand("/stripe-leak-guard scan-history")).toBe(true);
    expect(isScanHistoryCommand("thanks!\n/Stripe-Leak-Guard SCAN-HISTORY please")).toBe(true);
    expect(isScanHistoryCommand("> /stripe-leak-guard scan-history")).toBe(false);
    expect(isScanHistoryCommand("```\n/stripe-leak-guard scan-history\n```")).toBe(false);
    expect(isScanHistoryCommand("/stripe-leak-guard verify\n/stripe-leak-guard scan-history")).toBe(false);
  });
});
