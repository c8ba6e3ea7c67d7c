/*
 * Where a backfill remembers what it has done: per installation, the set of
 * repositories planned and the set done. A worker that restarts, a job that
 * runs twice, or an installation event that is redelivered finds a
 * repository in the done-set and does not ask GitHub for it again. Redis
 * holds it for workers (it outlives any of them); memory for single-process
 * mode. Repository ids only: nothing here is secret.
 */
import type { Redis } from "ioredis";

export interface BackfillProgress {
  done: number;
  total: number;
}

export interface BackfillStore {
  /** Adds repositories to the installation's plan (idempotent). */
  plan(installationId: number, repoIds: readonly number[]): Promise<BackfillProgress>;
  /** Which of these repositories are done already. */
  doneAmong(installationId: number, repoIds: readonly number[]): Promise<Set<number>>;
  markDone(installationId: number, repoId: number): Promise<BackfillProgress>;
  progress(installationId: number): Promise<BackfillProgress>;
  /** Holds the installation's backfill requests until then (GitHub's budget is low; live events come first). */
  pauseUntil(installationId: number, epochMs: number): Promise<void>;
  pausedUntil(installationId: number): Promise<number | undefined>;
}

/** Long enough for any backfill to finish and a late redelivery to be recognised; refreshed on every write. */
export const BACKFILL_STATE_TTL_SECONDS = 30 * 24 * 3600;

export function createMemoryBackfillStore(now: () => number = Date.now): BackfillStore {
  const planned = new Map<number, Set<number>>();
  const done = new Map<number, Set<number>>();
  const paused = new Map<number, number>();
  const setOf = (map: Map<number, Set<number>>, id: number): Set<number> => {
    let set = map.get(id);
    if (!set) map.set(id, (set = new Set()));
    return set;
  };
  const progress = (id: number): BackfillProgress => ({ done: setOf(done, id).size, total: setOf(planned, id).size });
  return {
    async plan(id, repoIds) {
      const set = setOf(planned, id);
      for (const repoId of repoIds) set.add(repoId);
      return progress(id);
    },
    async doneAmong(id, repoIds) {
      const set = setOf(done, id);
      return new Set(repoIds.filter((repoId) => set.has(repoId)));
    },
    async markDone(id, repoId) {
      setOf(planned, id).add(repoId);
      setOf(done, id).add(repoId);
      return progress(id);
    },
    progress: async (id) => progress(id),
    async pauseUntil(id, epochMs) {
      paused.set(id, Math.max(epochMs, paused.get(id) ?? 0));
    },
    async pausedUntil(id) {
      const until = paused.get(id);
      return until !== undefined && until > now() ? until : undefined;
    },
  };
}

// Adds to both sets (a repository done is also planned) and answers the counts in one round trip.
const MARK_DONE = `
redis.call("SADD", KEYS[1], ARGV[1])
redis.call("SADD", KEYS[2], ARGV[1])
redis.call("EXPIRE", KEYS[1], ARGV[2])
redis.call("EXPIRE", KEYS[2], ARGV[2])
return { redis.call("SCARD", KEYS[2]), redis.call("SCARD", KEYS[1]) }
`;

/** `keyPrefix` e.g. ownKey(prefix, "backfill"). */
export function createRedisBackfillStore(client: Redis, keyPrefix: string): BackfillStore {
  const key = (id: number, part: string) => `${keyPrefix}:${id}:${part}`;
  async function progress(id: number): Promise<BackfillProgress> {
    const [done, total] = await Promise.all([client.scard(key(id, "done")), client.scard(key(id, "planned"))]);
    return { done, total };
  }
  return {
    async plan(id, repoIds) {
      if (repoIds.length > 0) {
        for (let at = 0; at < repoIds.length; at += 1000) await client.sadd(key(id, "planned"), ...repoIds.slice(at, at + 1000).map(String));
        await client.expire(key(id, "planned"), BACKFILL_STATE_TTL_SECONDS);
      }
      return progress(id);
    },
    async doneAmong(id, repoIds) {
      if (repoIds.length === 0) return new Set();
      const found = new Set<number>();
      for (let at = 0; at < repoIds.length; at += 1000) {
        const slice = repoIds.slice(at, at + 1000);
        const flags = await client.smismember(key(id, "done"), ...slice.map(String));
        slice.forEach((repoId, i) => {
          if (flags[i] === 1) found.add(repoId);
        });
      }
      return found;
    },
    async markDone(id, repoId) {
      const [done, total] = (await client.eval(MARK_DONE, 2, key(id, "planned"), key(id, "done"), String(repoId), BACKFILL_STATE_TTL_SECONDS)) as [number, number];
      return { done, total };
    },
    progress,
    async pauseUntil(id, epochMs) {
      const ms = epochMs - Date.now();
      if (ms > 0) await client.set(key(id, "paused-until"), String(epochMs), "PX", ms);
    },
    async pausedUntil(id) {
      const value = await client.get(key(id, "paused-until"));
      const until = value === null ? Number.NaN : Number(value);
      return Number.isFinite(until) && until > Date.now() ? until : undefined;
    },
  };
}
