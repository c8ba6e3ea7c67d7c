import type { Redis } from "ioredis";
import { RetryLaterError } from "./errors.js";

/*
 * GitHub's secondary limits on creating content: at most 80 requests a minute
 * and 500 an hour, and at least a second between mutations. Octokit's
 * throttling plugin spaces writes within one process only (and shares state
 * across processes only through Bottleneck's Redis clustering, keyed per app,
 * not per installation, and with no hourly window). So every worker asks this
 * pacer, keyed by installation, before each write; Redis holds a sliding log
 * of the last hour's writes and Redis's own clock decides, so workers on
 * several machines agree. Reads are not paced.
 */

export interface PaceLimits {
  perMinute: number;
  perHour: number;
  /** Minimum gap between two writes of one installation. */
  spacingMs: number;
  /** Window lengths; tests shrink them. */
  minuteMs?: number;
  hourMs?: number;
}

export const GITHUB_WRITE_LIMITS: PaceLimits = { perMinute: 80, perHour: 500, spacingMs: 1_000 };

export interface WritePacer {
  /** Resolves when a write may go; throws RetryLaterError when the wait is longer than a job should block. */
  acquire(installationId: number): Promise<void>;
}

// Returns 0 and records the write, or the milliseconds to wait.
const ACQUIRE = `
local key = KEYS[1]
local perMinute = tonumber(ARGV[1])
local perHour = tonumber(ARGV[2])
local spacing = tonumber(ARGV[3])
local minuteMs = tonumber(ARGV[4])
local hourMs = tonumber(ARGV[5])
local member = ARGV[6]
local time = redis.call("TIME")
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call("ZREMRANGEBYSCORE", key, "-inf", now - hourMs)
local count = redis.call("ZCARD", key)
if count >= perHour then
  local oldest = redis.call("ZRANGE", key, 0, 0, "WITHSCORES")
  return math.max(1, tonumber(oldest[2]) + hourMs - now)
end
if count >= perMinute then
  local entry = redis.call("ZRANGE", key, count - perMinute, count - perMinute, "WITHSCORES")
  local wait = tonumber(entry[2]) + minuteMs - now
  if wait > 0 then return wait end
end
local last = redis.call("ZRANGE", key, -1, -1, "WITHSCORES")
if last[2] and now - tonumber(last[2]) < spacing then
  return math.max(1, tonumber(last[2]) + spacing - now)
end
redis.call("ZADD", key, now, member)
redis.call("PEXPIRE", key, hourMs)
return 0
`;

export interface RedisPacerOptions {
  client: Redis;
  keyPrefix: string;
  limits?: PaceLimits;
  /** Waits longer than this end the attempt; the job comes back after the wait instead of holding a worker slot. */
  maxBlockMs?: number;
}

export function createRedisPacer(options: RedisPacerOptions): WritePacer {
  const limits = options.limits ?? GITHUB_WRITE_LIMITS;
  const maxBlockMs = options.maxBlockMs ?? 15_000;
  let sequence = 0;
  return {
    async acquire(installationId) {
      const started = Date.now();
      for (;;) {
        const member = `${process.pid}-${Date.now()}-${sequence++}-${Math.random()}`;
        const wait = Number(
          await options.client.eval(
            ACQUIRE,
            1,
            `${options.keyPrefix}:${installationId}`,
            limits.perMinute,
            limits.perHour,
            limits.spacingMs,
            limits.minuteMs ?? 60_000,
            limits.hourMs ?? 3_600_000,
            member,
          ),
        );
        if (wait <= 0) return;
        if (Date.now() - started + wait > maxBlockMs) {
          throw new RetryLaterError(`GitHub write budget of installation ${installationId} is spent`, wait);
        }
        await new Promise((resolve) => setTimeout(resolve, wait + Math.floor(Math.random() * 50)));
      }
    },
  };
}

/** Same limits inside one process (single-machine mode, no Redis). */
export function createMemoryPacer(limits: PaceLimits = GITHUB_WRITE_LIMITS): WritePacer {
  const logs = new Map<number, number[]>();
  const minuteMs = limits.minuteMs ?? 60_000;
  const hourMs = limits.hourMs ?? 3_600_000;
  return {
    async acquire(installationId) {
      for (;;) {
        const now = Date.now();
        const log = (logs.get(installationId) ?? []).filter((time) => time > now - hourMs);
        logs.set(installationId, log);
        let wait = 0;
        if (log.length >= limits.perHour) wait = (log[0] ?? now) + hourMs - now;
        else if (log.length >= limits.perMinute) wait = (log[log.length - limits.perMinute] ?? now) + minuteMs - now;
        const last = log[log.length - 1];
        if (wait <= 0 && last !== undefined && now - last < limits.spacingMs) wait = last + limits.spacingMs - now;
        if (wait <= 0) {
          log.push(now);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    },
  };
}

interface HookableOctokit {
  hook: { before(name: "request", hook: (options: { method?: string; url?: string }) => Promise<void> | void): void };
}

/** Make every write of this installation's Octokit wait for the pacer. GraphQL and token requests are not content writes. */
export function paceWrites<O extends HookableOctokit>(octokit: O, installationId: number, pacer: WritePacer): O {
  octokit.hook.before("request", async (options) => {
    const method = (options.method ?? "GET").toUpperCase();
    if (method === "GET" || method === "HEAD") return;
    const url = options.url ?? "";
    if (url.startsWith("/graphql") || url.includes("/access_tokens")) return;
    await pacer.acquire(installationId);
  });
  return octokit;
}
