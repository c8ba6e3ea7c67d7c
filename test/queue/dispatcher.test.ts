import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProducerConnection } from "../../src/queue/connection.js";
import { createBullDispatcher, type BullDispatcher } from "../../src/queue/dispatcher.js";
import { QueueUnavailableError } from "../../src/queue/errors.js";
import { contentId, DEDUPE_TTL_MS, UnsafeJobDataError } from "../../src/queue/job-identity.js";
import { ownKey } from "../../src/queue/names.js";
import { connect, deleteWithPrefix, freePort, keysWithPrefix, SHARED_REDIS_URL, uniquePrefix } from "../helpers/redis.js";
import { fakeKey } from "../helpers/fake-keys.js";
import { captureLog, pushJob } from "./fixtures/jobs.js";

const prefix = uniquePrefix("dispatch");
let admin: Redis;
let dispatchers: BullDispatcher[];
let scan: Queue;

beforeAll(async () => {
  admin = connect();
  const { log } = captureLog();
  dispatchers = [0, 1].map(() => createBullDispatcher({ connection: createProducerConnection(SHARED_REDIS_URL), prefix, log }));
  scan = new Queue("scan", { connection: admin, prefix });
});

afterAll(async () => {
  await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
  await scan.close();
  await deleteWithPrefix(admin, prefix);
  admin.disconnect();
});

describe("createBullDispatcher", () => {
  it("queues one job for the same delivery sent 5 times concurrently through two servers", async () => {
    const job = pushJob(1);
    await Promise.all(Array.from({ length: 5 }, (_, i) => dispatchers[i % 2]!.dispatch("scan-push", job)));
    const jobs = await scan.getJobs(["waiting"]);
    expect(jobs.filter((queued) => queued.data.deliveryId === job.deliveryId)).toHaveLength(1);
  });

  it("recognises the same content under a new delivery id, and keeps both records for 3 days", async () => {
    const first = pushJob(2);
    await dispatchers[0]!.dispatch("scan-push", first);
    await dispatchers[1]!.dispatch("scan-push", { ...first, deliveryId: "another-delivery" });
    const jobs = (await scan.getJobs(["waiting"])).filter((queued) => queued.data.after === first.after);
    expect(jobs).toHaveLength(1);
    const dedupeTtl = await admin.pttl(`${prefix}:scan:de:${contentId("scan-push", first)}`);
    const deliveryTtl = await admin.pttl(ownKey(prefix, "delivery", "scan-push", first.deliveryId));
    expect(dedupeTtl).toBeGreaterThan(DEDUPE_TTL_MS - 60_000);
    expect(deliveryTtl).toBeGreaterThan(DEDUPE_TTL_MS - 60_000);
  });

  it("queues different content separately, on the scan queue", async () => {
    await dispatchers[0]!.dispatch("scan-push", pushJob(3));
    await dispatchers[0]!.dispatch("scan-push", pushJob(4));
    const afters = (await scan.getJobs(["waiting"])).map((queued) => queued.data.after as string);
    expect(afters).toEqual(expect.arrayContaining([pushJob(3).after, pushJob(4).after]));
  });

  it("refuses a key in job data before anything reaches Redis", async () => {
    const before = await scan.getJobCounts();
    const leaky = pushJob(5, { pusher: fakeKey("sk", "live") });
    await expect(dispatchers[0]!.dispatch("scan-push", leaky)).rejects.toBeInstanceOf(UnsafeJobDataError);
    expect(await scan.getJobCounts()).toEqual(before);
    expect(await keysWithPrefix(admin, ownKey(prefix, "delivery", "scan-push", leaky.deliveryId))).toEqual([]);
  });

  it("fails fast with a 503-shaped error while Redis is down", async () => {
    const { log, lines } = captureLog();
    const deadPort = await freePort();
    const dispatcher = createBullDispatcher({ connection: createProducerConnection(`redis://127.0.0.1:${deadPort}`), prefix, log, timeoutMs: 500 });
    const error = await dispatcher.dispatch("scan-push", pushJob(6)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueueUnavailableError);
    expect((error as QueueUnavailableError).status).toBe(503);
    expect(lines().some((line) => line.msg === "could not queue job; answering 503")).toBe(true);
    await dispatcher.close();
  });
});

describe("delayed jobs", () => {
  it("holds a job whose data names a notBefore time until then", async () => {
    const { log } = captureLog();
    const dispatcher = createBullDispatcher({ connection: createProducerConnection(SHARED_REDIS_URL), prefix, log });
    const notify = new Queue("notify", { connection: admin, prefix });
    try {
      const notBefore = Date.now() + 60_000;
      await dispatcher.dispatch("publish-report", { installationId: 1, owner: "octo", repo: ".github", notBefore });
      const [job] = await notify.getJobs(["delayed"]);
      expect(job?.data.notBefore).toBe(notBefore);
      expect((job?.timestamp ?? 0) + (job?.delay ?? 0)).toBeGreaterThanOrEqual(notBefore - 1_000);
    } finally {
      await notify.close();
      await dispatcher.close();
    }
  });
});
