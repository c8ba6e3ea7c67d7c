import type { Redis } from "ioredis";
import type { DeliveryLedger } from "./sweeper.js";

/** Longer than GitHub's three-day redelivery window, so a guid is never asked for twice. */
export const LEDGER_TTL_SECONDS = 4 * 24 * 60 * 60;

/** One Redis key per redelivered guid (ids only), under the deployment's queue prefix. */
export function redisDeliveryLedger(redis: Redis, prefix: string, ttlSeconds = LEDGER_TTL_SECONDS): DeliveryLedger {
  const keyOf = (guid: string) => `${prefix}:slg:redelivered:${guid}`;
  return {
    async claim(guid) {
      return (await redis.set(keyOf(guid), "1", "EX", ttlSeconds, "NX")) === "OK";
    },
    async release(guid) {
      await redis.del(keyOf(guid));
    },
  };
}
