/*
 * Where follow-up jobs go: the job's own dispatcher when it has one, else (in
 * a worker) a BullMQ dispatcher on the worker's shared Redis connection,
 * made once per connection and never closed here (the worker owns it).
 * Undefined in single-process mode: the caller then runs the work itself.
 */
import type { Redis } from "ioredis";
import type { Dispatcher, JobDeps } from "../jobs/types.js";
import { createBullDispatcher } from "../queue/dispatcher.js";

const byClient = new WeakMap<Redis, Dispatcher>();

export function followUpDispatcher(deps: Pick<JobDeps, "dispatcher" | "redis" | "log">): Dispatcher | undefined {
  if (deps.dispatcher) return deps.dispatcher;
  if (!deps.redis) return undefined;
  let dispatcher = byClient.get(deps.redis.client);
  if (!dispatcher) {
    dispatcher = createBullDispatcher({ connection: deps.redis.client, prefix: deps.redis.prefix, log: deps.log });
    byClient.set(deps.redis.client, dispatcher);
  }
  return dispatcher;
}
