/*
 * The container, without a container engine: replays the Dockerfile's own
 * stages (WORKDIR, ENV, COPY, RUN) in a clean copy of the committed tree,
 * starts the runtime stage's ENTRYPOINT + CMD with a throwaway App identity,
 * and checks /healthz, /readyz and /metrics, then the image's own HEALTHCHECK
 * command. Slow (two `npm ci` runs), so it runs once, with a long timeout.
 * It also checks docker-compose.yml's structure: no compose-spec JSON schema
 * ships in node_modules and there is no network here to fetch one.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import picomatch from "picomatch";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { execForm, parseCopy, parseDockerfile, parseEnv, parseHealthcheck } from "./dockerfile.js";
import type { Stage } from "./dockerfile.js";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BUILD_TIMEOUT_MS = 15 * 60 * 1000;
const stages = parseDockerfile(readFileSync(join(REPO, "Dockerfile"), "utf8"));
const runtime = stages.at(-1) as Stage;
const work = mkdtempSync(join(tmpdir(), "slg-image-"));
const queuePrefix = `slg-test-e2e-${randomUUID().slice(0, 8)}`;
let server: ChildProcess | undefined;

afterAll(async () => {
  if (server && server.exitCode === null) server.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
  const redis = new Redis("redis://127.0.0.1:6379", { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const keys = await redis.keys(`${queuePrefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}, 120_000);

/** The build context: the committed tree (git archive HEAD) minus what .dockerignore excludes. */
function prepareContext(): string {
  const context = join(work, "context");
  mkdirSync(context);
  const archive = execFileSync("git", ["archive", "--format=tar", "HEAD"], { cwd: REPO, maxBuffer: 512 * 1024 * 1024 });
  execFileSync("tar", ["-x", "-C", context], { input: archive });
  const patterns = readFileSync(join(context, ".dockerignore"), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  const ignored = picomatch(patterns, { dot: true });
  const prune = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (ignored(relative(context, path))) rmSync(path, { recursive: true, force: true });
      else if (statSync(path).isDirectory()) prune(path);
    }
  };
  prune(context);
  return context;
}

interface StageState {
  root: string;
  workdir: string;
  env: Record<string, string>;
}

const baseEnv = (): Record<string, string> => ({
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: process.env.HOME ?? tmpdir(),
  npm_config_update_notifier: "false",
});

/** Replays one stage in its own directory; absolute image paths live under that directory. */
function replayStage(stage: Stage, context: string, built: Map<string, StageState>): StageState {
  const state: StageState = { root: join(work, "stages", stage.name), workdir: "/", env: {} };
  mkdirSync(state.root, { recursive: true });
  const local = (path: string, from: StageState = state) =>
    join(from.root, path.startsWith("/") ? path : join(from.workdir, path));
  for (const { keyword, rest } of stage.instructions) {
    if (keyword === "WORKDIR") {
      state.workdir = rest.startsWith("/") ? rest : join(state.workdir, rest);
      mkdirSync(local(state.workdir), { recursive: true });
    } else if (keyword === "ENV") {
      Object.assign(state.env, parseEnv(rest));
    } else if (keyword === "COPY") {
      const copy = parseCopy(rest);
      const source = copy.from ? built.get(copy.from) : undefined;
      if (copy.from && !source) throw new Error(`COPY --from=${copy.from}: no such stage`);
      const destIsDir = copy.dest.endsWith("/") || copy.sources.length > 1;
      for (const item of copy.sources) {
        const from = source ? local(item, source) : join(context, item);
        if (!existsSync(from)) throw new Error(`COPY ${item}: not in the ${source ? "stage" : "build context"}`);
        const to = destIsDir ? join(local(copy.dest), basename(item)) : local(copy.dest);
        cpSync(from, to, { recursive: true });
      }
    } else if (keyword === "RUN") {
      // Same command; only allowed to use the local npm cache first.
      const command = rest.replace(/\bnpm ci\b/g, "npm ci --prefer-offline");
      const result = spawnSync("sh", ["-c", command], {
        cwd: local(state.workdir),
        env: { ...baseEnv(), ...state.env },
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      });
      if (result.status !== 0) throw new Error(`RUN ${rest} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    }
  }
  built.set(stage.name, state);
  return state;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<Response> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      return await fetch(`${url}/healthz`);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function instructions(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.rest);
}

describe("the Dockerfile", () => {
  it("has the shape the runtime relies on", () => {
    expect(stages.map((stage) => stage.name)).toEqual(["build", "runtime"]);
    for (const stage of stages) expect(stage.from).toMatch(/^node:20(\.\d+)*-[a-z]+-slim$/);
    expect(instructions(stages[0] as Stage, "RUN").join("\n")).toMatch(/npm ci[\s\S]*npm run build/);
    const runs = instructions(runtime, "RUN").join("\n");
    expect(runs).toMatch(/npm ci --omit=dev --ignore-scripts/);
    expect(runs).not.toMatch(/npm run build|npm install/);
    expect(instructions(runtime, "USER")).toEqual(["node"]);
    expect(parseEnv(instructions(runtime, "ENV").join(" "))).toMatchObject({ HOST: "0.0.0.0", NODE_ENV: "production" });
    expect(execForm(instructions(runtime, "CMD")[0] ?? "")).toEqual(["server"]);
    expect(parseHealthcheck(instructions(runtime, "HEALTHCHECK")[0] ?? "").command.join(" ")).toContain("/healthz");
  });

  it(
    "builds and starts the server from a clean copy with its own RUN and CMD lines, and answers /healthz, /readyz and /metrics",
    async () => {
      const context = prepareContext();
      const built = new Map<string, StageState>();
      for (const stage of stages) replayStage(stage, context, built);
      const image = built.get(runtime.name) as StageState;
      const appDir = join(image.root, image.workdir);

      // Production dependencies only. (typescript itself stays: valibot, a production dependency, names it as
      // an optional peer, and npm keeps such "devOptional" packages under --omit=dev.)
      expect(existsSync(join(appDir, "lib", "bin", "cli.js"))).toBe(true);
      expect(existsSync(join(appDir, "node_modules", "probot"))).toBe(true);
      for (const devOnly of ["vitest", "eslint", "tsx", "nock", "playwright-core"]) {
        expect(existsSync(join(appDir, "node_modules", devOnly)), devOnly).toBe(false);
      }
      expect(existsSync(join(appDir, "src"))).toBe(false);

      const port = await freePort();
      const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
      const env = {
        ...baseEnv(),
        ...image.env,
        PORT: String(port),
        APP_ID: "123456",
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: randomUUID(),
        REDIS_URL: "redis://127.0.0.1:6379/0",
        QUEUE_PREFIX: queuePrefix,
        LOG_LEVEL: "info" as const,
      };
      const [command = "", ...args] = [...execForm(instructions(runtime, "ENTRYPOINT")[0] ?? "[]"), ...execForm(instructions(runtime, "CMD")[0] ?? "[]")];
      let output = "";
      const child = spawn(command, args, { cwd: appDir, env, stdio: ["ignore", "pipe", "pipe"] });
      server = child;
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));

      const url = `http://127.0.0.1:${port}`;
      const health = await waitForHealth(url, child, () => output);
      expect(health.status).toBe(200);

      const ready = await fetch(`${url}/readyz`);
      expect({ status: ready.status, body: await ready.json() }).toMatchObject({
        status: 200,
        body: { status: "ready", checks: { redis: { ok: true }, github: { ok: true } } },
      });

      const metrics = await (await fetch(`${url}/metrics`)).text();
      for (const series of [
        "webhook_deliveries_total counter",
        "scan_duration_seconds histogram",
        "scan_bytes_total counter",
        "findings_total counter",
        "open_incidents gauge",
        "queue_jobs gauge",
        "queue_depth gauge",
        "rotations_total counter",
        "github_rate_limit_remaining gauge",
        "backfill_repositories_done gauge",
        "backfill_repositories_total gauge",
      ]) {
        expect(metrics).toContain(`# TYPE stripe_leak_guard_${series}`);
      }
      expect(metrics).toMatch(/stripe_leak_guard_queue_depth\{queue="scan"\} 0/);

      // The image's own HEALTHCHECK command, as Docker would run it.
      const probe = parseHealthcheck(instructions(runtime, "HEALTHCHECK")[0] ?? "").command;
      const check = spawnSync(probe[0] ?? "node", probe.slice(1), { cwd: appDir, env, encoding: "utf8" });
      expect(check.status).toBe(0);

      // A clean stop on SIGTERM, as `docker stop` sends.
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(output).not.toMatch(/"level":(50|60)/);
    },
    BUILD_TIMEOUT_MS,
  );
});
