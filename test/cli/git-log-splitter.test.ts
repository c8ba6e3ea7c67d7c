import { describe, expect, it } from "vitest";
import type { CommitInfo } from "../../src/scanner/index.js";
import { GitLogSplitter } from "../../src/cli/git-log-splitter.js";

type Event = { commit: CommitInfo } | { diff: string } | "end";

function header(sha: string, date: string, email: string, name: string): string {
  return `\0${sha}\0${date}\0${email}\0${name}\0\n`;
}

const fileDiff = (path: string, line: string): string =>
  `diff --git a/${path} b/${path}\nindex 1..2 100644\n--- a/${path}\n+++ b/${path}\n@@ -0,0 +1 @@\n+${line}\n`;

const LOG =
  header("a".repeat(40), "2024-01-02T03:04:05+00:00", "ann@example.com", "Ann Example") +
  "\n" +
  fileDiff("one.txt", "first") +
  fileDiff("two.txt", "second") +
  header("b".repeat(40), "2024-01-01T00:00:00+00:00", "", "Merge Bot") +
  header("c".repeat(40), "2023-12-31T00:00:00+00:00", "bo@example.com", "Bo Tab Name") +
  "\n" +
  fileDiff("three.txt", "third");

function run(chunks: Buffer[], flushBytes?: number): Event[] {
  const events: Event[] = [];
  const splitter = new GitLogSplitter(
    {
      commit: (info) => events.push({ commit: info }),
      diff: (text) => events.push({ diff: text.toString("utf8") }),
      commitEnd: () => events.push("end"),
    },
    flushBytes,
  );
  for (const chunk of chunks) splitter.feed(chunk);
  splitter.end();
  return events;
}

/** Merges consecutive diff events so results compare equal however the input was chunked. */
function merged(events: Event[]): Event[] {
  const out: Event[] = [];
  for (const event of events) {
    const last = out.at(-1);
    if (typeof event === "object" && "diff" in event && typeof last === "object" && last !== undefined && "diff" in last) last.diff += event.diff;
    else out.push(typeof event === "object" && "diff" in event ? { diff: event.diff } : event);
  }
  return out;
}

describe("GitLogSplitter", () => {
  const expected: Event[] = [
    { commit: { sha: "a".repeat(40), date: "2024-01-02T03:04:05+00:00", email: "ann@example.com", author: "Ann Example" } },
    { diff: fileDiff("one.txt", "first") + fileDiff("two.txt", "second") },
    "end",
    { commit: { sha: "b".repeat(40), date: "2024-01-01T00:00:00+00:00", author: "Merge Bot" } },
    "end",
    { commit: { sha: "c".repeat(40), date: "2023-12-31T00:00:00+00:00", email: "bo@example.com", author: "Bo Tab Name" } },
    { diff: fileDiff("three.txt", "third") },
    "end",
  ];

  it("splits commits and attributes each diff to its commit", () => {
    expect(run([Buffer.from(LOG)])).toEqual(expected);
  });

  it("gives the same result however the stream is chunked, even inside headers", () => {
    const bytes = Buffer.from(LOG);
    for (const size of [1, 2, 3, 7, 64]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(merged(run(chunks))).toEqual(expected);
    }
  });

  it("hands a large commit on in whole-file parts", () => {
    const events = run([Buffer.from(LOG)], 50);
    const diffs = events.filter((e): e is { diff: string } => typeof e === "object" && "diff" in e).map((e) => e.diff);
    expect(diffs.length).toBeGreaterThan(2);
    for (const diff of diffs) expect(diff.startsWith("diff --git ")).toBe(true);
    expect(merged(events)).toEqual(expected);
  });

  it("handles an empty log", () => {
    expect(run([])).toEqual([]);
  });

  it("reports output that ends inside a header", () => {
    const splitter = new GitLogSplitter({ commit() {}, diff() {}, commitEnd() {} });
    splitter.feed(Buffer.from("\0abc\0date"));
    expect(() => splitter.end()).toThrow(/inside a commit header/);
  });
});
