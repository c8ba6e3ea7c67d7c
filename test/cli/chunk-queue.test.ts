import { describe, expect, it } from "vitest";
import { addFilesDone, close, createCounters, drained, filesDone, firstUntaken, publish, takeChunk } from "../../src/cli/chunk-queue.js";

describe("chunk queue", () => {
  it("hands out each published chunk once, in order", () => {
    const counters = createCounters();
    expect(takeChunk(counters)).toBe(-1);
    publish(counters, 2);
    expect([takeChunk(counters), takeChunk(counters), takeChunk(counters)]).toEqual([0, 1, -1]);
    expect(firstUntaken(counters)).toBe(2);
    publish(counters, 3);
    expect(takeChunk(counters)).toBe(2);
  });

  it("is drained only once the walk is over and every chunk is taken", () => {
    const counters = createCounters();
    publish(counters, 1);
    close(counters);
    expect(drained(counters)).toBe(false);
    takeChunk(counters);
    expect(drained(counters)).toBe(true);
  });

  it("counts files scanned by other threads", () => {
    const counters = createCounters();
    addFilesDone(counters, 32);
    addFilesDone(counters, 5);
    expect(filesDone(counters)).toBe(37);
  });
});
