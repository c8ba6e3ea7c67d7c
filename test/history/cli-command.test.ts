import { Queue } from "bullmq";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { run } from "../../src/history/cli-command.js";
import { TEST_API } from "../helpers/octokit.js";
import { testPrivateKey } from "../helpers/probot.js";
import { connect, deleteWithPrefix, SHARED_REDIS_URL, uniquePrefix } from "../helpers/redis.js";

function io(env: Record<string, string | undefined>) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      cwd: process.cwd(),
      env,
      stdin: process.stdin,
      stdout: { write: (chunk: string) => out.push(chunk) },
      stderr: { write: (chunk: string) => err.push(chunk) },
    },
    out,
    err,
  };
}

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("stripe-leak-guard scan-history (operator)", () => {
  it("explains what is missing", async () => {
    const none = io({});
    expect(await run([], none.io)).toBe(2);
    expect(none.err.join("")).toContain("--installation <id> is required");
    const badRepo = io({});
    expect(await run(["--installation", "5", "--repo", "not a repo"], badRepo.io)).toBe(2);
    expect(badRepo.err.join("")).toContain("--repo must be owner/name");
    const noApp = io({});
    expect(await run(["--installation", "5"], noApp.io)).toBe(2);
    expect(noApp.err.join("")).toContain("APP_ID and PRIVATE_KEY");
    const help = io({});
    expect(await run(["--help"], help.io)).toBe(0);
    expect(help.out.join("")).toContain("--repo <owner/name>");
  });

  it("--queue hands the scan to the workers: one ids-only job on the backfill queue", async () => {
    const prefix = uniquePrefix("cli-history");
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    nock(TEST_API).post("/app/installations/5/access_tokens").reply(201, { token: "test-token", expires_at: "2099-01-01T00:00:00Z" });
    nock(TEST_API).get("/repos/octo/shop").reply(200, { id: 99, name: "shop", owner: { login: "octo" }, html_url: "https://github.com/octo/shop", size: 10, archived: false });
    const cli = io({ APP_ID: "1", PRIVATE_KEY: testPrivateKey(), REDIS_URL: SHARED_REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: "silent" });
    const client = connect();
    try {
      expect(await run(["--installation", "5", "--repo", "octo/shop", "--queue"], cli.io)).toBe(0);
      expect(cli.out.join("")).toContain("queued 1 history scan(s)");
      const queue = new Queue("backfill", { connection: client, prefix });
      const jobs = await queue.getJobs(["waiting", "prioritized", "delayed"]);
      await queue.close();
      expect(jobs.map((job) => [job.name, job.data])).toEqual([
        ["scan-history-repo", { installationId: 5, owner: "octo", repo: "shop", repoId: 99, htmlUrl: "https://github.com/octo/shop", requestId: expect.stringMatching(/^cli-\d+$/) }],
      ]);
      expect(nock.pendingMocks()).toEqual([]);
    } finally {
      await deleteWithPrefix(client, prefix);
      client.disconnect();
    }
  });
});
