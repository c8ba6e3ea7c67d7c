import { describe, expect, it } from "vitest";
import { createProgress, renderLine } from "../../src/cli/progress.js";

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, columns: 100, write: (chunk: string) => writes.push(chunk) };
}

describe("progress", () => {
  it("stays silent when stderr is not a terminal", () => {
    const err = stream(false);
    const progress = createProgress(err, true);
    progress.update(1, 10, "files");
    progress.done();
    expect(err.writes).toEqual([]);
  });

  it("stays silent when disabled", () => {
    const err = stream(true);
    createProgress(err, false).update(1, 10, "files");
    expect(err.writes).toEqual([]);
  });

  it("redraws in place at most every 100 ms, always draws completion, and clears the line at the end", () => {
    const err = stream(true);
    let now = 1000;
    const progress = createProgress(err, true, () => now);
    progress.update(1, 4, "files");
    progress.update(2, 4, "files");
    now += 150;
    progress.update(3, 4, "files");
    progress.update(4, 4, "files");
    progress.done();
    expect(err.writes).toHaveLength(4);
    for (const line of err.writes.slice(0, 3)) expect(line.startsWith("\r")).toBe(true);
    expect(err.writes[2]).toContain("4/4 files");
    expect(err.writes[3]).toBe("\r\x1b[K");
  });

  it("draws a bar with a known total and a counter without one, within the width", () => {
    expect(renderLine(5, 10, "commits", undefined, 100)).toMatch(/scanning █+░+ +50% 5\/10 commits/);
    expect(renderLine(42, undefined, "files", "src/x.ts", 100)).toBe("scanning… 42 files  src/x.ts");
    expect(renderLine(1, 2, "files", "a".repeat(200), 60)).toHaveLength(60);
  });
});
