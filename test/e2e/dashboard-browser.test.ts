/*
 * The queue dashboard in a real browser: Debian's chromium driven by
 * playwright-core. Refused without credentials, then logged in with HTTP
 * Basic, it shows the scan and rotation queues with their job counts. The
 * logged-in overview is saved as docs/dashboard.png for the operator docs.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { chromium } from "playwright-core";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { holdsKeyShape } from "../../src/log/index.js";
import { createMetrics } from "../../src/metrics/index.js";
import { createDashboard } from "../../src/ops/dashboard.js";
import { createOpsHandler } from "../../src/ops/ops-handler.js";
import { startOpsServer } from "../../src/ops/ops-server.js";
import type { OpsServer } from "../../src/ops/ops-server.js";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SCREENSHOT = join(REPO, "docs", "dashboard.png");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const prefix = `slg-test-board-${randomUUID().slice(0, 8)}`;
const redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
const scan = new Queue("scan", { connection: redis, prefix });
const rotation = new Queue("rotation", { connection: redis, prefix });
const password = randomBytes(12).toString("base64url");
const profiles: string[] = [];
const contexts: BrowserContext[] = [];
let server: OpsServer;
let base: string;

/** A job as the pipeline enqueues it: ids only. */
function pushJob(n: number) {
  return {
    installationId: 4242,
    owner: "acme",
    repo: "storefront",
    repoId: 1000 + n,
    deliveryId: randomUUID(),
    ref: "refs/heads/main",
    before: "a".repeat(40),
    after: "b".repeat(40),
    created: false,
    forced: false,
    defaultBranch: "main",
    pusher: "octocat",
  };
}

async function browse(credentials?: { username: string; password: string }): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), "slg-chromium-"));
  profiles.push(profile);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 720 },
    ...(credentials ? { httpCredentials: credentials } : {}),
  });
  contexts.push(context);
  return context;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
  // One completed and one failed scan, so the board has history; then waiting work with no worker running.
  const worker = new Worker(
    "scan",
    async (job) => {
      if (job.data.repoId === 1001) throw new Error("GitHub answered 502 while listing the compare range");
    },
    { connection: redis, prefix },
  );
  const settled = new Promise<void>((resolve) => {
    let count = 0;
    const done = () => (++count === 2 ? resolve() : undefined);
    worker.on("completed", done);
    worker.on("failed", done);
  });
  await scan.add("scan-push", pushJob(0));
  await scan.add("scan-push", pushJob(1));
  await settled;
  await worker.close();
  await scan.addBulk([2, 3, 4].map((n) => ({ name: "scan-push", data: pushJob(n) })));
  await rotation.add("rotate-key", { installationId: 4242, owner: "acme", repo: "storefront", repoId: 1000, incident: 17 });
  await rotation.add("verify-key", { installationId: 4242, owner: "acme", repo: "storefront", repoId: 1000, incident: 18 }, { delay: 3_600_000 });

  const dashboard = createDashboard({ queues: [scan, rotation], auth: { basic: { user: "ops", password } } });
  server = await startOpsServer(createOpsHandler({ metrics: createMetrics({ processMetrics: false }), readiness: [], dashboard }), 0, "127.0.0.1");
  base = `http://127.0.0.1:${server.port}/admin/queues`;
}, 60_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
  await server?.close();
  await scan.obliterate({ force: true });
  await rotation.obliterate({ force: true });
  await scan.close();
  await rotation.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
}, 60_000);

describe("the queue dashboard in chromium", () => {
  it("is refused without credentials, and with wrong ones", async () => {
    // Chromium abandons a Basic challenge it cannot answer (ERR_INVALID_AUTH_CREDENTIALS) rather than
    // rendering the 401 page, so read the server's answer off the network.
    const attempt = async (context: BrowserContext, url: string) => {
      const page = await context.newPage();
      const answer = page.waitForResponse((reply) => reply.url() === url);
      const navigation = await page.goto(url).then(
        () => "loaded",
        (error: Error) => error.message,
      );
      const reply = await answer;
      const boardShown = (await page.locator('a[title="scan"]').count()) > 0;
      return { status: reply.status(), challenge: reply.headers()["www-authenticate"], navigation, boardShown };
    };

    const anonymous = await browse();
    const refused = await attempt(anonymous, base);
    expect(refused).toMatchObject({ status: 401, challenge: expect.stringMatching(/^Basic realm=/), boardShown: false });
    expect((await attempt(anonymous, `${base}/api/queues`)).status).toBe(401);

    const wrong = await browse({ username: "ops", password: "not-the-password" });
    const denied = await attempt(wrong, base);
    expect(denied).toMatchObject({ status: 401, boardShown: false });
  }, 60_000);

  it("logs in and shows the scan and rotation queues with their counts", async () => {
    const context = await browse({ username: "ops", password });
    const page = await context.newPage();
    const response = await page.goto(base);
    expect(response?.status()).toBe(200);

    const card = (queue: string) => page.locator("main li").filter({ has: page.locator(`a[title="${queue}"]`) });
    await expect.poll(() => card("scan").count(), { timeout: 20_000 }).toBe(1);
    expect(await card("scan").locator("text=/\\d+ Jobs?/").textContent()).toBe("5 Jobs");
    expect(await card("rotation").locator("text=/\\d+ Jobs?/").textContent()).toBe("2 Jobs");
    await page.screenshot({ path: SCREENSHOT });

    // Per-state counts on the scan queue's own page.
    await page.goto(`${base}/queue/scan`);
    const badge = (state: string) => page.locator(`a[href$="status=${state}"] span:last-child`);
    await expect.poll(() => badge("waiting").textContent(), { timeout: 20_000 }).toBe("3");
    expect(await badge("failed").textContent()).toBe("1");
    expect(await badge("completed").textContent()).toBe("1");

    // What the board shows of job data is ids only.
    await page.goto(`${base}/queue/scan?status=failed`);
    await page.getByRole("tab", { name: "Data" }).or(page.getByText("Data", { exact: true })).first().click();
    await expect.poll(async () => (await page.textContent("main")) ?? "", { timeout: 20_000 }).toContain("storefront");
    expect(holdsKeyShape((await page.textContent("main")) ?? "")).toBe(false);
  }, 90_000);
});
