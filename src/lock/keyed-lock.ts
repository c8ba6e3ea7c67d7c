/**
 * Serialises work per key (e.g. "owner/repo:fingerprint"). The in-process
 * implementation is enough for one server; the queue adds a Redis-backed one
 * with the same interface so that workers on several machines agree.
 */
export interface KeyedLock {
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export function createInProcessLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const run = previous.then(fn, fn);
      const tail = run.catch(() => undefined);
      tails.set(key, tail);
      try {
        return await run;
      } finally {
        // Forget the key once nobody queued behind us, so the map stays small.
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
  };
}
