/**
 * Two clients on the shared Redis for one test file, as two workers would
 * hold them: connected before its tests; after them every key under the
 * file's prefix is deleted (by SCAN, never FLUSH) and both disconnect.
 */
import type { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { connect, deleteWithPrefix } from "./redis.js";

/** `connected` is handed both clients before the file's first test. */
export function twoRedisClientsPerFile(prefix: string, connected: (a: Redis, b: Redis) => void): void {
  let a: Redis | undefined;
  let b: Redis | undefined;
  beforeAll(() => {
    a = connect();
    b = connect();
    connected(a, b);
  });
  afterAll(async () => {
    if (a) await deleteWithPrefix(a, prefix);
    a?.disconnect();
    b?.disconnect();
  });
}
