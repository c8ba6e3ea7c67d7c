/*
 * Single-process mode has no queue: follow-up work (an alert, the report)
 * runs here, in the background, so it never holds up the scan that caused
 * it. A RetryLaterError is honoured with a timer, a few times at most.
 * `settleBackground()` waits for all of it (tests, and a clean shutdown).
 */
import type { Logger } from "pino";
import { RetryLaterError } from "../queue/errors.js";

const running = new Set<Promise<void>>();
const MAX_WAITS = 3;

export function runInBackground(what: string, work: () => Promise<void>, log: Logger): void {
  const task = (async () => {
    for (let waits = 0; ; waits++) {
      try {
        await work();
        return;
      } catch (error) {
        if (error instanceof RetryLaterError && waits < MAX_WAITS) {
          await new Promise<void>((resolve) => setTimeout(resolve, error.retryAfterMs).unref());
          continue;
        }
        log.warn({ err: error, work: what }, `${what} failed`);
        return;
      }
    }
  })();
  running.add(task);
  void task.finally(() => running.delete(task));
}

export async function settleBackground(): Promise<void> {
  while (running.size > 0) await Promise.allSettled([...running]);
}
