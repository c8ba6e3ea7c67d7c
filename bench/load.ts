/*
 * npm run bench:load — the queue under a webhook burst, all on loopback:
 * a local Redis (REDIS_URL, default 127.0.0.1:6379, under a random prefix that
 * is deleted afterwards), a local stand-in for the GitHub API (GHE_HOST,
 * GHE_PROTOCOL=http), the real `stripe-leak-guard server` and `worker`
 * processes. Signed push deliveries are sent open-loop at a fixed rate.
 *
 * Reports: acknowledgement latency p50/p99 (idle workers and busy workers),
 * jobs/s drained by 1 and by 2 worker processes, GitHub requests per event.
 * BENCH_LOAD_DELIVERIES (default 1000 per phase) and BENCH_LOAD_RATE
 * (default 500/s) bound the run; the whole run is capped at 5 minutes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, generateKeyPairSync, randomBytes } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { startGitHubStandIn } from "./load/github-stand-in.js";

const DELIVERIES = Number(process.env.BENCH_LOAD_DELIVERIES ?? 1000);
const RATE = Number(process.env.BENCH_LOAD_RATE ?? 500);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const DEADLINE = Date.now() + 5 * 60_000;
const RUN_CLI = fileURLToPath(new URL("./load/run-cli.ts", import.meta.url));
const INSTALLATIONS = 10;

const prefix = `slg-bench-${randomBytes(4).toString("hex")}`;
const secret = randomBytes(24).toString("hex");
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const children: ChildProcess[] = [];

function progress(message: string): void {
  process.stderr.write(`bench:load  ${message}\n`);
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

function spawnCli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", RUN_CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitUntil(condition: () => Promise<boolean> | boolean, what: string, pollMs = 20): Promise<void> {
  while (!(await condition())) {
    if (Date.now() > DEADLINE) throw new Error(`bench:load took longer than 5 minutes waiting for ${what}; stopping`);
    if (children.some((child) => child.exitCode !== null && child.exitCode !== 0)) throw new Error(`a child process failed while waiting for ${what}`);
    await sleep(pollMs);
  }
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

function pushDelivery(n: number): { headers: Record<string, string>; body: string } {
  const after = randomBytes(20).toString("hex");
  const installation = 1 + (n % INSTALLATIONS);
  const payload = {
    ref: "refs/heads/main",
    before: "1".repeat(40),
    after,
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: "",
    commits: [{ id: after, message: "Update", timestamp: "2026-01-01T00:00:00Z", author: { name: "bench", email: "bench@example.com" }, added: [], removed: [], modified: ["src/index.ts"] }],
    head_commit: null,
    pusher: { name: "bench" },
    sender: { login: "bench", id: 1, type: "User" },
    installation: { id: installation },
    repository: {
      id: 1000 + installation,
      name: `repo-${installation}`,
      full_name: `bench-org/repo-${installation}`,
      owner: { login: "bench-org", name: "bench-org", id: 2, type: "Organization" },
      html_url: `https://github.com/bench-org/repo-${installation}`,
      default_branch: "main",
      private: true,
    },
  };
  const body = JSON.stringify(payload);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": randomBytes(16).toString("hex"),
      "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    },
  };
}

/** Open loop: request i leaves at start + i/RATE seconds whatever happened to earlier ones. */
async function sendBurst(url: string, count: number, offset: number): Promise<{ latencies: number[]; failures: number; statuses: Map<string, number> }> {
  const deliveries = Array.from({ length: count }, (_, i) => pushDelivery(offset + i));
  const latencies: number[] = [];
  let failures = 0;
  const statuses = new Map<string, number>();
  const start = performance.now();
  await Promise.all(
    deliveries.map(async (delivery, i) => {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const sent = performance.now();
      let status: string;
      try {
        const response = await fetch(url, { method: "POST", headers: delivery.headers, body: delivery.body });
        await response.arrayBuffer();
        status = String(response.status);
      } catch {
        status = "connection error";
      }
      latencies.push(performance.now() - sent);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status !== "202") failures++;
    }),
  );
  return { latencies, failures, statuses };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const scan = new Queue("scan", { connection: admin, prefix });
  const standIn = await startGitHubStandIn();
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    APP_ID: "1",
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: secret,
    GHE_HOST: standIn.host,
    GHE_PROTOCOL: "http",
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    HOST: "127.0.0.1",
    PORT: String(port),
    LOG_LEVEL: "warn",
  };
  const base = `http://127.0.0.1:${port}`;
  const url = `${base}/api/github/webhooks`;
  const drained = async () => {
    const counts = await scan.getJobCounts("wait", "active", "delayed", "prioritized");
    return Object.values(counts).every((value) => value === 0);
  };
  const startWorkers = async (count: number) => {
    const started = Array.from({ length: count }, () => spawnCli(["worker"], { ...env, LOG_LEVEL: "info" }));
    await waitUntil(() => started.every((worker) => worker.output().includes('"worker ready"')), "workers to start");
    return started;
  };
  const drainRate = async (count: number, workers: number) => {
    const processes = await startWorkers(workers);
    const start = performance.now();
    await waitUntil(drained, "the queue to drain", 10);
    const seconds = (performance.now() - start) / 1000;
    return { rate: count / seconds, seconds, processes };
  };

  const loadBefore = loadavg()[0] ?? 0;
  try {
    progress(`prefix ${prefix}; GitHub stand-in on ${standIn.host}; ${DELIVERIES} deliveries per phase at ${RATE}/s`);
    const server = spawnCli(["server"], env);
    await waitUntil(async () => (await fetch(`${base}/health`).then((r) => r.ok, () => false)), "the server to listen", 100);

    progress("phase 0: 100 deliveries one at a time (no queueing in front of the server)");
    const sequential: number[] = [];
    for (let i = 0; i < 100; i++) {
      const delivery = pushDelivery(3 * DELIVERIES + i);
      const sent = performance.now();
      const response = await fetch(url, { method: "POST", headers: delivery.headers, body: delivery.body });
      await response.arrayBuffer();
      sequential.push(performance.now() - sent);
    }
    await waitUntil(async () => (await scan.getJobCounts("wait")).wait === 100, "the sequential deliveries to be queued");

    progress("phase 1: burst with no worker running (pure acknowledgement)");
    const idle1 = await sendBurst(url, DELIVERIES, 0);
    progress("phase 2: one worker drains it");
    const one = await drainRate(DELIVERIES + 100, 1);
    for (const worker of one.processes) await stop(worker.child);

    progress("phase 3: another burst, no worker running");
    const idle2 = await sendBurst(url, DELIVERIES, DELIVERIES);
    progress("phase 4: two workers drain it");
    const two = await drainRate(DELIVERIES, 2);

    progress("phase 5: a burst while the two workers are busy");
    const busy = await sendBurst(url, DELIVERIES, 2 * DELIVERIES);
    await waitUntil(drained, "the queue to drain", 10);
    const failedJobs = (await scan.getJobCounts("failed")).failed ?? 0;
    const workerExits = await Promise.all(two.processes.map((worker) => stop(worker.child)));
    const serverExit = await stop(server.child);

    const idle = [...idle1.latencies, ...idle2.latencies];
    const loadAfter = loadavg()[0] ?? 0;
    const statusCounts = new Map<string, number>();
    for (const burst of [idle1, idle2, busy]) for (const [status, n] of burst.statuses) statusCounts.set(status, (statusCounts.get(status) ?? 0) + n);
    const statusText = [...statusCounts.entries()].sort().map(([status, n]) => `${status}: ${n}`).join(", ");
    const events = 3 * DELIVERIES + 100;
    const tokenRequests = standIn.counts.get("POST /app/installations/:id/access_tokens") ?? 0;
    const rows = [...standIn.counts.entries()].sort(([a], [b]) => a.localeCompare(b));
    const fmt = (ms: number) => ms.toFixed(1);
    const lines = [
      "## Load",
      "",
      `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:load\` on ${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}, Node ${process.version}, Redis on loopback; server, workers, Redis, the GitHub stand-in and the load generator share the machine (1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after).`,
      `Each phase sends ${DELIVERIES} signed \`push\` deliveries at ${RATE}/s (open loop) to \`stripe-leak-guard server\` with REDIS_URL set; workers run with the default concurrency (4 jobs per process).`,
      "",
      "| measure | result |",
      "|---|---|",
      `| acknowledgement latency, one at a time (100 deliveries) | p50 ${fmt(percentile(sequential, 50))} ms, p99 ${fmt(percentile(sequential, 99))} ms |`,
      `| acknowledgement latency, workers idle (${idle.length} deliveries) | p50 ${fmt(percentile(idle, 50))} ms, p99 ${fmt(percentile(idle, 99))} ms, max ${fmt(Math.max(...idle))} ms |`,
      `| acknowledgement latency, 2 workers busy (${busy.latencies.length} deliveries) | p50 ${fmt(percentile(busy.latencies, 50))} ms, p99 ${fmt(percentile(busy.latencies, 99))} ms, max ${fmt(Math.max(...busy.latencies))} ms |`,
      `| answers | ${statusText} |`,
      `| jobs/s, 1 worker process | ${one.rate.toFixed(0)} (${DELIVERIES + 100} jobs in ${one.seconds.toFixed(1)} s) |`,
      `| jobs/s, 2 worker processes | ${two.rate.toFixed(0)} (${DELIVERIES} jobs in ${two.seconds.toFixed(1)} s) |`,
      `| GitHub requests per event | ${((standIn.total() - tokenRequests) / events).toFixed(2)} (plus ${tokenRequests} installation-token requests for ${INSTALLATIONS} installations, cached per process) |`,
      `| failed jobs | ${failedJobs} |`,
      `| exit codes after SIGTERM (server, workers) | ${serverExit}, ${workerExits.join(", ")} |`,
      "",
      "GitHub requests by route:",
      "",
      ...rows.map(([route, count]) => `- \`${route}\`: ${count}`),
      "",
      "The pushes are clean, the common case: one compare request each, and the repository config is read only when there are findings.",
      "",
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    for (const child of children) await stop(child);
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, found] = await admin.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      keys.push(...found);
    } while (cursor !== "0");
    for (let i = 0; i < keys.length; i += 500) await admin.del(...keys.slice(i, i + 500));
    await scan.close();
    admin.disconnect();
    await standIn.close();
  }
}

await main();
