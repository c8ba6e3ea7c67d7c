import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Dispatcher, JobDataByName, JobName } from "../jobs/types.js";
import { closeQuietly } from "./connection.js";
import { QueueUnavailableError } from "./errors.js";
import { assertIdsOnly, contentId, DEDUPE_TTL_MS, deliveryIdOf, safeIdPart } from "./job-identity.js";
import { DEFAULT_JOB_OPTIONS } from "./job-options.js";
import { ownKey, QUEUE_NAMES, queueFor, type QueueName } from "./names.js";

/** A job whose data says `notBefore` (ms since the epoch, e.g. the end of a debounce window) waits until then. */
function delayOf(data: object): number {
  const notBefore = (data as { notBefore?: unknown }).notBefore;
  return typeof notBefore === "number" && Number.isFinite(notBefore) ? Math.max(0, Math.round(notBefore - Date.now())) : 0;
}

export const DISPATCH_TIMEOUT_MS = 5_000;
export const READY_WAIT_MS = 1_000;

export interface BullDispatcherOptions {
  /** A producer connection (createProducerConnection): fails fast while Redis is down. */
  connection: Redis;
  prefix: string;
  log: Logger;
  dedupeTtlMs?: number;
  /** Upper bound on one dispatch to a connected Redis (a hung server), well inside GitHub's 10 s. */
  timeoutMs?: number;
  /** How long a dispatch waits for a connection that is not up (startup, reconnect) before answering 503. */
  readyWaitMs?: number;
}

export interface BullDispatcher extends Dispatcher {
  close(): Promise<void>;
}

/**
 * Adds a job and returns: the webhook is answered as soon as Redis has it.
 * A delivery is recognised twice over: by its delivery id (a marker kept for
 * the dedupe window) and by its content (BullMQ deduplication with a TTL, which
 * outlives removeOnComplete).
 */
export function createBullDispatcher(options: BullDispatcherOptions): BullDispatcher {
  const { connection, prefix, log } = options;
  const ttl = options.dedupeTtlMs ?? DEDUPE_TTL_MS;
  const timeoutMs = options.timeoutMs ?? DISPATCH_TIMEOUT_MS;
  const readyWaitMs = options.readyWaitMs ?? READY_WAIT_MS;
  const queues = new Map<QueueName, Queue>();
  for (const name of QUEUE_NAMES) {
    const queue = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    // Errors surface on add(); this only stops EventEmitter from throwing.
    queue.on("error", () => undefined);
    queues.set(name, queue);
  }

  /*
   * With the offline queue off, a command sent before the connection is up
   * fails at once. Wait briefly for "ready" instead, so the first webhook
   * after start, or just after Redis returns, goes through; while Redis stays
   * down, each webhook gets its 503 within readyWaitMs.
   */
  let ready: Promise<void> = connection.status === "ready" ? Promise.resolve() : nextReady();
  let isReady = connection.status === "ready";
  function nextReady(): Promise<void> {
    return new Promise((resolve) => connection.once("ready", () => resolve()));
  }
  connection.on("ready", () => {
    isReady = true;
  });
  connection.on("close", () => {
    if (!isReady) return;
    isReady = false;
    ready = nextReady();
  });

  async function connected(): Promise<void> {
    if (isReady) return;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis is not connected (waited ${readyWaitMs} ms)`)), readyWaitMs);
    });
    try {
      await Promise.race([ready, gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function add<N extends JobName>(name: N, data: JobDataByName[N]): Promise<void> {
    await connected();
    const queue = queues.get(queueFor(name));
    if (!queue) throw new Error(`no queue for job ${name}`);
    const deliveryId = deliveryIdOf(data);
    const deliveryKey = deliveryId ? ownKey(prefix, "delivery", name, safeIdPart(deliveryId)) : undefined;
    if (deliveryKey && (await connection.exists(deliveryKey))) {
      log.info({ job: name, deliveryId }, "delivery already queued; ignoring the repeat");
      return;
    }
    const dedupeId = contentId(name, data);
    const jobId = `${name}-${randomUUID()}`;
    const delay = delayOf(data);
    const job = await queue.add(name, data, { jobId, deduplication: { id: dedupeId, ttl }, ...(delay > 0 ? { delay } : {}) });
    // Set after the add, so a failed add never hides a later redelivery. Not awaited: the webhook need not wait
    // for it, and if it is lost the content id still recognises a redelivery.
    if (deliveryKey) connection.set(deliveryKey, job.id ?? jobId, "PX", ttl).catch(() => undefined);
    if (job.id !== jobId) log.info({ job: name, deliveryId, existing: job.id }, "same content already queued; not adding it again");
    else log.debug({ job: name, deliveryId, jobId }, "job queued");
  }

  return {
    async dispatch(name, data) {
      // A programming error, not an outage: let it surface as a 500.
      assertIdsOnly(name, data);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from Redis within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([add(name, data), timeout]);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        log.error({ job: name, deliveryId: deliveryIdOf(data), reason }, "could not queue job; answering 503");
        throw new QueueUnavailableError(`job queue unavailable: ${reason}`);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await Promise.allSettled([...queues.values()].map((queue) => queue.close()));
      await closeQuietly(connection);
    },
  };
}
