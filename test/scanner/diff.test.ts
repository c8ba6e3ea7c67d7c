import { describe, expect, it } from "vitest";
import { parsePatch, parseUnifiedDiff } from "../../src/scanner/diff.js";

const gitDiff = [
  "diff --git a/src/a.ts b/src/a.ts",
  "index 1111111..2222222 100644",
  "--- a/src/a.ts",
  "+++ b/src/a.ts",
  "@@ -1,3 +1,4 @@",
  " one",
  "-two",
  "+TWO",
  "+++ b/not-a-header",
  " three",
  "diff --git a/img.png b/img.png",
  "new file mode 100644",
  "index 0000000..3333333",
  "Binary files /dev/null and b/img.png differ",
  "diff --git a/old name.txt b/new name.txt",
  "similarity index 90%",
  "rename from old name.txt",
  "rename to new name.txt",
  "--- a/old name.txt",
  "+++ b/new name.txt",
  "@@ -5,2 +5,2 @@",
  " keep",
  "-was",
  "+now",
  "\\ No newline at end of file",
  "diff --git a/gone.txt b/gone.txt",
  "deleted file mode 100644",
  "--- a/gone.txt",
  "+++ /dev/null",
  "@@ -1 +0,0 @@",
  "-bye",
  'diff --git "a/sp ace\\303\\251.txt" "b/sp ace\\303\\251.txt"',
  "new file mode 100644",
  "--- /dev/null",
  '+++ "b/sp ace\\303\\251.txt"',
  "@@ -0,0 +1,2 @@",
  "+-- a/looks like a header",
  "+second",
  "",
].join("\n");

describe("parseUnifiedDiff", () => {
  it("takes added lines with new-file numbers, by hunk counts", () => {
    const parsed = parseUnifiedDiff(gitDiff);
    expect(parsed.skippedBinary).toBe(1);
    expect(parsed.files.map((f) => [f.path, f.oldPath, f.binary, f.deleted, f.added])).toEqual([
      ["src/a.ts", undefined, false, false, [{ line: 2, text: "TWO" }, { line: 3, text: "++ b/not-a-header" }]],
      ["img.png", undefined, true, false, []],
      ["new name.txt", "old name.txt", false, false, [{ line: 6, text: "now" }]],
      ["gone.txt", undefined, false, true, []],
      ["sp aceé.txt", undefined, false, false, [{ line: 1, text: "-- a/looks like a header" }, { line: 2, text: "second" }]],
    ]);
  });

  it("accepts CRLF diffs", () => {
    const parsed = parseUnifiedDiff(gitDiff.replace(/\n/g, "\r\n"));
    expect(parsed.files[0]?.added).toEqual([{ line: 2, text: "TWO" }, { line: 3, text: "++ b/not-a-header" }]);
  });

  it("attributes files to commits in git log -p output", () => {
    const log = [
      "commit 0123456789abcdef0123456789abcdef01234567",
      "Author: Ada Lovelace <ada@example.com>",
      "Date:   Mon Nov 30 10:35:27 2026 +0000",
      "",
      "    add config",
      "",
      "diff --git a/c.env b/c.env",
      "--- a/c.env",
      "+++ b/c.env",
      "@@ -1 +1,2 @@",
      " A=1",
      "+B=2",
      "commit fedcba9876543210fedcba9876543210fedcba98",
      "Author: Bob <bob@example.com>",
      "Date:   Sun Nov 29 09:00:00 2026 +0100",
      "",
      "    binary",
      "",
      "diff --git a/x.bin b/x.bin",
      "GIT binary patch",
      "literal 3",
      "KcmZ>",
      "",
    ].join("\n");
    const parsed = parseUnifiedDiff(log);
    expect(parsed.skippedBinary).toBe(1);
    expect(parsed.files[0]?.commit).toEqual({
      sha: "0123456789abcdef0123456789abcdef01234567",
      author: "Ada Lovelace",
      email: "ada@example.com",
      date: "2026-11-30T10:35:27.000Z",
    });
    expect(parsed.files[0]?.added).toEqual([{ line: 2, text: "B=2" }]);
    expect(parsed.files[1]?.commit?.sha).toBe("fedcba9876543210fedcba9876543210fedcba98");
    expect(parsed.files[1]?.binary).toBe(true);
  });
});

describe("parsePatch", () => {
  it("reads GitHub's per-file patch hunks", () => {
    const patch = "@@ -1,2 +1,3 @@\n a\n+b\n c\n@@ -10,0 +11,2 @@\n+x\n+y\n\\ No newline at end of file";
    expect(parsePatch(patch)).toEqual([
      { line: 2, text: "b" },
      { line: 11, text: "x" },
      { line: 12, text: "y" },
    ]);
  });
});

describe("parseUnifiedDiff edge cases", () => {
  it("reads plain diff -u output with timestamps", () => {
    const diff = ["--- config.env.orig\t2024-01-01 10:00:00.000000000 +0000", "+++ config.env\t2024-01-02 10:00:00.000000000 +0000", "@@ -1 +1,2 @@", " A=1", "+B=2", ""].join("\n");
    expect(parseUnifiedDiff(diff).files).toEqual([{ path: "config.env", oldPath: "config.env.orig", binary: false, deleted: false, added: [{ line: 2, text: "B=2" }] }]);
  });

  it("handles pure renames, empty new files and hunk headers with context", () => {
    const diff = [
      "diff --git a/a.txt b/b.txt",
      "similarity index 100%",
      "rename from a.txt",
      "rename to b.txt",
      "diff --git a/empty b/empty",
      "new file mode 100644",
      "index 0000000..e69de29",
      "diff --git a/f.js b/f.js",
      "--- a/f.js",
      "+++ b/f.js",
      "@@ -10,2 +10,2 @@ function main() {",
      "-old();",
      "\\ No newline at end of file",
      "+new();",
      "\\ No newline at end of file",
      "",
    ].join("\n");
    const files = parseUnifiedDiff(diff).files;
    expect(files.map((f) => [f.path, f.oldPath, f.added])).toEqual([
      ["b.txt", "a.txt", []],
      ["empty", undefined, []],
      ["f.js", undefined, [{ line: 10, text: "new();" }]],
    ]);
  });

  it("unquotes C-style paths with escaped quotes, backslashes and octal bytes", () => {
    const diff = ['diff --git "a/we\\"ird\\\\n\\303\\274.txt" "b/we\\"ird\\\\n\\303\\274.txt"', "new file mode 100644", "--- /dev/null", '+++ "b/we\\"ird\\\\n\\303\\274.txt"', "@@ -0,0 +1 @@", "+x", ""].join("\n");
    expect(parseUnifiedDiff(diff).files.map((f) => f.path)).toEqual(['we"ird\\nü.txt']);
  });

  it("splits an unquoted header with spaces where both halves agree", () => {
    const diff = ["diff --git a/my b/file.txt b/my b/file.txt", "deleted file mode 100644", "index 1..0", "Binary files a/my b/file.txt and /dev/null differ", ""].join("\n");
    const parsed = parseUnifiedDiff(diff);
    expect(parsed.files.map((f) => [f.path, f.deleted, f.binary])).toEqual([["my b/file.txt", true, true]]);
    expect(parsed.skippedBinary).toBe(1);
  });

  it("returns nothing for empty input", () => {
    expect(parseUnifiedDiff("")).toEqual({ files: [], skippedBinary: 0 });
    expect(parsePatch("")).toEqual([]);
  });
});

describe("git format-patch output", () => {
  it("attributes files to the patch's commit and skips the diffstat", () => {
    const patch = [
      "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001",
      "From: Ada Lovelace <ada@example.com>",
      "Date: Mon, 30 Nov 2026 10:35:27 +0000",
      "Subject: [PATCH] add config",
      "",
      "---",
      " c.env | 1 +",
      " 1 file changed, 1 insertion(+)",
      "",
      "diff --git a/c.env b/c.env",
      "--- a/c.env",
      "+++ b/c.env",
      "@@ -1 +1,2 @@",
      " A=1",
      "+B=2",
      "-- ",
      "2.43.0",
      "",
    ].join("\n");
    const [file, ...rest] = parseUnifiedDiff(patch).files;
    expect(rest).toEqual([]);
    expect(file?.added).toEqual([{ line: 2, text: "B=2" }]);
    expect(file?.commit).toEqual({ sha: "0123456789abcdef0123456789abcdef01234567", author: "Ada Lovelace", email: "ada@example.com", date: "2026-11-30T10:35:27.000Z" });
  });
});
