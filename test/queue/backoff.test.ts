import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../../src/queue/backoff.js";

const policy = { baseMs: 1_000, maxMs: 60_000 };

describe("retryDelayMs", () => {
  it("doubles per attempt, with jitter between half and all of the ceiling", () => {
    const transient = { kind: "transient", reason: "server error 502" } as const;
    expect(retryDelayMs(1, transient, policy, () => 0)).toBe(500);
    expect(retryDelayMs(1, transient, policy, () => 1)).toBe(1_000);
    expect(retryDelayMs(3, transient, policy, () => 1)).toBe(4_000);
    expect(retryDelayMs(3, transient, policy, () => 0)).toBe(2_000);
  });

  it("caps the wait", () => {
    expect(retryDelayMs(30, { kind: "transient", reason: "x" }, policy, () => 1)).toBe(60_000);
  });

  it("never waits less than the server asked, and adds at most 10%", () => {
    const limited = { kind: "transient", reason: "secondary rate limit", retryAfterMs: 2_000 } as const;
    expect(retryDelayMs(1, limited, policy, () => 0)).toBe(2_000);
    expect(retryDelayMs(5, limited, policy, () => 1)).toBe(2_200);
  });
});
