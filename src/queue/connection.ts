import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "pino";

/*
 * Two kinds of connection, as BullMQ's production guide asks:
 * - producers (the webhook server) fail fast while Redis is down, so the
 *   webhook answers 503 and GitHub records the failure instead of the request
 *   hanging until GitHub's 10 s limit;
 * - workers wait forever (maxRetriesPerRequest: null) and reconnect with a
 *   capped backoff, so they survive a Redis restart.
 */

export const PRODUCER_CONNECT_TIMEOUT_MS = 2_000;
const WORKER_MAX_RECONNECT_DELAY_MS = 20_000;

export function producerOptions(): RedisOptions {
  return {
    enableOfflineQueue: false,
    connectTimeout: PRODUCER_CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 250, 2_000),
  };
}

export function workerOptions(): RedisOptions {
  return {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(1_000 * times, WORKER_MAX_RECONNECT_DELAY_MS),
  };
}

export function createProducerConnection(url: string, log?: Logger): Redis {
  return watchErrors(new Redis(url, producerOptions()), "producer", log);
}

export function createWorkerConnection(url: string, log?: Logger): Redis {
  return watchErrors(new Redis(url, workerOptions()), "worker", log);
}

/**
 * ioredis emits "error" on every failed reconnect attempt; without a listener
 * Node prints each one. Log the first of a run of errors, and again once the
 * connection is back.
 */
function watchErrors(client: Redis, role: string, log?: Logger): Redis {
  let failing = false;
  client.on("error", (error: Error) => {
    if (failing) return;
    failing = true;
    log?.warn({ role, reason: error.message }, "redis connection failing; retrying");
  });
  client.on("ready", () => {
    if (!failing) return;
    failing = false;
    log?.info({ role }, "redis connection restored");
  });
  return client;
}

/** Close without waiting for replies that will never come when Redis is down. */
export async function closeQuietly(client: Redis): Promise<void> {
  if (client.status === "end") return;
  try {
    if (client.status === "ready") {
      await client.quit();
      return;
    }
  } catch {
    // fall through to disconnect
  }
  client.disconnect();
}
