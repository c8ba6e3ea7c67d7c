import { describe, expect, it } from "vitest";
import { callWithRetries } from "../../src/rotation/call-with-retries.js";
import type { CallOutcome, RotationHandler, RotationRequest } from "../../src/rotation/types.js";

function scripted(outcomes: CallOutcome[]): RotationHandler & { calls: number } {
  const handler = {
    description: "scripted",
    calls: 0,
    call: async () => {
      handler.calls++;
      const next = outcomes.shift();
      if (!next) throw new Error("script ran out");
      return next;
    },
  };
  return handler;
}

const request = {} as RotationRequest;
const retry: CallOutcome = { type: "retry", reason: "HTTP 500" };
const rotated: CallOutcome = { type: "answered", status: "rotated", message: "" };

describe("callWithRetries", () => {
  it("backs off exponentially with jitter, then succeeds", async () => {
    const waits: number[] = [];
    const handler = scripted([retry, retry, rotated]);
    const result = await callWithRetries(handler, request, { attempts: 3, baseDelayMs: 1000, sleep: async (ms) => void waits.push(ms), random: () => 1 });
    expect(result).toEqual({ outcome: rotated, attempts: 3 });
    expect(waits).toEqual([1000, 2000]);
  });

  it("waits at least the handler's Retry-After", async () => {
    const waits: number[] = [];
    await callWithRetries(scripted([{ ...retry, retryAfterMs: 30_000 }, rotated]), request, {
      attempts: 2,
      baseDelayMs: 1000,
      sleep: async (ms) => void waits.push(ms),
      random: () => 0,
    });
    expect(waits).toEqual([30_000]);
  });

  it("hands back the last retryable outcome after the last attempt", async () => {
    const handler = scripted([retry, retry]);
    expect(await callWithRetries(handler, request, { attempts: 2, baseDelayMs: 1, sleep: async () => undefined })).toEqual({ outcome: retry, attempts: 2 });
  });

  it("does not retry a refusal", async () => {
    const handler = scripted([{ type: "refused", reason: "HTTP 400" }]);
    expect((await callWithRetries(handler, request, { attempts: 5, baseDelayMs: 1, sleep: async () => undefined })).attempts).toBe(1);
    expect(handler.calls).toBe(1);
  });
});
