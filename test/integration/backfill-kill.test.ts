/**
 * SIGKILL a real worker process halfway through a backfill, start another:
 * every repository ends up done, and none that was done before the kill is
 * requested from GitHub again. (The one being downloaded at the moment of
 * the kill was not done, so it may be fetched once more.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisBackfillServices } from "../../src/backfill/services.js";
import type { BackfillRepoJob } from "../../src/jobs/types.js";
import { buildRepoTarball } from "../backfill/tar-writer.js";
import { connect, deleteWithPrefix, SHARED_REDIS_URL, uniquePrefix } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";

/** Child worker processes start slowly on a busy machine. */
const WORKER_WAIT_MS = 60_000;
const CHILD = fileURLToPath(new URL("../backfill/worker-child.ts", import.meta.url));
const prefix = uniquePrefix("backfill-kill");
const INSTALLATION = 8080;
const REPOS = 10;
let admin: Redis;
let server: Server;
let api = "";
const requests = new Map<string, number>();
const children: ChildProcess[] = [];

async function spawnWorker(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
    env: { ...process.env, SLGT_REDIS_URL: SHARED_REDIS_URL, SLGT_PREFIX: prefix, SLGT_API: api, BACKFILL_REPOS_PER_MINUTE: "600" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(async () => output.includes("ready\n") || child.exitCode !== null, "the worker to start", WORKER_WAIT_MS);
  if (!output.includes("ready\n")) throw new Error(`worker did not start:\n${output}`);
  return { child, output: () => output };
}

beforeAll(async () => {
  admin = connect();
  server = createServer((req, res) => {
    const match = /^\/repos\/kill-org\/(r\d+)\/tarball$/.exec(req.url ?? "");
    if (!match) {
      res.writeHead(404).end("{}");
      return;
    }
    const name = match[1] as string;
    requests.set(name, (requests.get(name) ?? 0) + 1);
    // Slow enough that the kill lands mid-backfill.
    setTimeout(() => {
      res.writeHead(200, { "content-type": "application/x-gzip" });
      res.end(buildRepoTarball(`kill-org-${name}-0000000`, { "a.txt": "nothing secret\n" }));
    }, 250);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  api = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await deleteWithPrefix(admin, prefix);
  admin.disconnect();
});

describe("backfill after a SIGKILL", () => {
  it("finishes on a new worker without requesting repositories done before the kill", { timeout: 120_000 }, async () => {
    const services = createRedisBackfillServices(admin, prefix);
    const jobs: BackfillRepoJob[] = Array.from({ length: REPOS }, (_, i) => ({ installationId: INSTALLATION, owner: "kill-org", repo: `r${i}`, repoId: 100 + i, backfillId: "d1" }));
    await services.store.plan(INSTALLATION, jobs.map((job) => job.repoId));
    await services.enqueue(jobs, undefined as never);
    await services.close();

    const victim = await spawnWorker();
    await waitFor(async () => (await services.store.progress(INSTALLATION)).done >= REPOS / 2, "half the repositories", WORKER_WAIT_MS);
    victim.child.kill("SIGKILL");
    await new Promise((resolve) => victim.child.once("exit", resolve));
    const doneAtKill = new Set((await admin.smembers(`${prefix}:slg:backfill:${INSTALLATION}:done`)).map(Number));
    expect(doneAtKill.size).toBeLessThan(REPOS);

    const survivor = await spawnWorker();
    await waitFor(async () => (await services.store.progress(INSTALLATION)).done === REPOS, "every repository", WORKER_WAIT_MS);
    survivor.child.kill("SIGTERM");
    await new Promise((resolve) => survivor.child.once("exit", resolve));

    for (const job of jobs) {
      const count = requests.get(job.repo) ?? 0;
      if (doneAtKill.has(job.repoId)) expect(count, `${job.repo} was done before the kill`).toBe(1);
      else expect(count).toBeGreaterThanOrEqual(1);
    }
    const total = [...requests.values()].reduce((sum, count) => sum + count, 0);
    // At most the one repository in flight at the kill is fetched twice.
    expect(total).toBeLessThanOrEqual(REPOS + 1);
  });
});
