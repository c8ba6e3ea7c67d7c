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

/** Waits for the background work, at most `timeoutMs`; answers how many tasks were still running then. */
export async function settleBackground(timeoutMs = Number.POSITIVE_INFINITY): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (running.size > 0) {
    const left = deadline - Date.now();
    if (left <= 0) return running.size;
    let timer: NodeJS.Timeout | undefined;
    const timeout = Number.isFinite(left) ? new Promise<void>((resolve) => (timer = setTimeout(resolve, left))) : new Promise<void>(() => undefined);
    await Promise.race([Promise.allSettled([...running]), timeout]);
    clearTimeout(timer);
  }
  return 0;
}
