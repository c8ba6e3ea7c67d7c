import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeKey } from "../helpers/fake-keys.js";
import { commitAll, git, parseJson, scan, tempDir } from "./cli-harness.js";

let tmp: ReturnType<typeof tempDir>;
let first: string;
let second: string;
let onBranch: string;
const keys = { first: "", second: "", branch: "", staged: "" };

beforeEach(() => {
  tmp = tempDir("slg-cli-git-");
  keys.first = fakeKey("sk", "live");
  keys.second = fakeKey("rk", "live");
  keys.branch = fakeKey("sk", "live");
  keys.staged = fakeKey("sk", "live");
  git(tmp.dir, ["init", "-q"]);
  tmp.put("app/config.js", `module.exports = {\n  stripe: "${keys.first}",\n};\n`);
  tmp.put("logo.bin", Buffer.from([1, 0, 2, 0]));
  first = commitAll(tmp.dir, "first", "2024-01-01T10:00:00Z");
  // Removing a key adds nothing, so it is not reported again; the new key is.
  tmp.put("app/config.js", `module.exports = {\n  stripe: process.env.STRIPE_KEY,\n  restricted: "${keys.second}",\n};\n`);
  second = commitAll(tmp.dir, "second", "2024-02-01T10:00:00Z");
  git(tmp.dir, ["checkout", "-q", "-b", "feature"]);
  tmp.put("feature.env", `STRIPE=${keys.branch}\n`);
  onBranch = commitAll(tmp.dir, "feature", "2024-03-01T10:00:00Z");
  git(tmp.dir, ["checkout", "-q", "main"]);
});
afterEach(() => tmp.cleanup());

describe("scan --git <range>", () => {
  it("scans only the commits in the range and attributes each finding to its commit", async () => {
    const result = await scan(["--git", "HEAD~1..HEAD", "-f", "json"], { cwd: tmp.dir });
    expect(result.code).toBe(1);
    const report = parseJson(result);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      path: "app/config.js",
      line: 3,
      column: 16,
      kind: "restricted",
      commit: { sha: second, author: "Test Author", email: "author@example.com", date: "2024-02-01T10:00:00+00:00" },
    });
    expect(report.stats.commits).toBe(1);
  });

  it("takes the repository as its path", async () => {
    const report = parseJson(await scan(["--git", "main", tmp.dir, "-f", "json"], { cwd: "/" }));
    expect(report.findings.map((f) => f.commit?.sha)).toEqual([second, first]);
    expect(report.stats.commits).toBe(2);
    expect(report.skipped).toEqual([{ path: "logo.bin", reason: `binary (commit ${first.slice(0, 12)})` }]);
  });

  it("says which range is bad", async () => {
    const result = await scan(["--git", "nope..HEAD"], { cwd: tmp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^stripe-leak-guard: bad revision range "nope\.\.HEAD": /);
  });
});

describe("scan --history", () => {
  it("reports nothing for a commit that only deletes a key, and keeps the commit that added it", async () => {
    git(tmp.dir, ["rm", "-q", "app/config.js"]);
    const deleting = commitAll(tmp.dir, "delete", "2024-04-01T10:00:00Z");
    const report = parseJson(await scan(["--history", "-f", "json"], { cwd: tmp.dir }));
    expect(report.findings.map((f) => f.commit?.sha)).not.toContain(deleting);
    expect(report.findings.map((f) => f.commit?.sha)).toContain(second);
    expect(report.stats.commits).toBe(4);
  });

  it("scans every commit reachable from any ref", async () => {
    const report = parseJson(await scan(["--history", "-f", "json"], { cwd: tmp.dir }));
    expect(new Set(report.findings.map((f) => f.commit?.sha))).toEqual(new Set([first, second, onBranch]));
    expect(report.stats.commits).toBe(3);
    const text = await scan(["--history"], { cwd: tmp.dir });
    expect(text.stdout).toContain(`commit ${onBranch.slice(0, 12)}  Test Author <author@example.com>  2024-03-01T10:00:00+00:00`);
    expect(text.stdout).toContain("3 commits");
  });

  it("shows a commit counter on a terminal", async () => {
    const result = await scan(["--history"], { cwd: tmp.dir, tty: true });
    expect(result.stderr).toContain("3/3 commits");
    expect(result.stderr.endsWith("\r\x1b[K")).toBe(true);
  });

  it("is an error outside a git repository", async () => {
    const plain = tempDir("slg-cli-plain-");
    try {
      const result = await scan(["--history"], { cwd: plain.dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe("stripe-leak-guard: . is not a git repository\n");
    } finally {
      plain.cleanup();
    }
  });
});

describe("scan --staged", () => {
  it("scans only what is staged", async () => {
    tmp.put("staged.txt", `${keys.staged}\n`);
    git(tmp.dir, ["add", "staged.txt"]);
    tmp.put("unstaged.txt", `${fakeKey("sk", "live")}\n`);
    const result = await scan(["--staged", "-f", "json"], { cwd: tmp.dir });
    expect(result.code).toBe(1);
    const report = parseJson(result);
    expect(report.findings.map((f) => [f.path, f.line])).toEqual([["staged.txt", 1]]);
    expect(report.findings[0]!.commit).toBeUndefined();
  });

  it("is clean when nothing is staged", async () => {
    expect((await scan(["--staged"], { cwd: tmp.dir })).code).toBe(0);
  });

  it("works in a subdirectory of the repository", async () => {
    tmp.put("app/new.js", `x = "${keys.staged}"\n`);
    git(tmp.dir, ["add", "app/new.js"]);
    const report = parseJson(await scan(["--staged", "-f", "json"], { cwd: `${tmp.dir}/app` }));
    expect(report.findings.map((f) => f.path)).toEqual(["app/new.js"]);
  });
});

describe("scan --diff", () => {
  it("reads added lines of a diff file, with new-file line numbers", async () => {
    tmp.put("change.patch", git(tmp.dir, ["diff", `${first}..${second}`]));
    const report = parseJson(await scan(["--diff", "change.patch", "-f", "json"], { cwd: tmp.dir }));
    expect(report.findings.map((f) => [f.path, f.line, f.kind])).toEqual([["app/config.js", 3, "restricted"]]);
    expect(report.findings[0]!.commit).toBeUndefined();
  });

  it("reads a diff from stdin", async () => {
    const diff = git(tmp.dir, ["diff", `${second}..${onBranch}`]);
    const result = await scan(["--diff", "-f", "json"], { cwd: tmp.dir, stdin: diff });
    expect(parseJson(result).findings.map((f) => f.path)).toEqual(["feature.env"]);
    expect((await scan(["--diff"], { cwd: tmp.dir, stdin: diff })).code).toBe(1);
  });
});

describe("the raw key never appears", () => {
  it.each([["text"], ["json"], ["sarif"]])("in %s output of any input mode", async (format) => {
    tmp.put("staged.txt", `${keys.staged}\n`);
    git(tmp.dir, ["add", "staged.txt"]);
    const diff = git(tmp.dir, ["diff", `${first}..${onBranch}`]);
    const runs = await Promise.all([
      scan([".", "-f", format], { cwd: tmp.dir }),
      scan(["-", "-f", format], { cwd: tmp.dir, stdin: keys.first }),
      scan(["--diff", "-f", format], { cwd: tmp.dir, stdin: diff }),
      scan(["--history", "-f", format], { cwd: tmp.dir }),
      scan(["--git", "main", "-f", format], { cwd: tmp.dir }),
      scan(["--staged", "-f", format], { cwd: tmp.dir }),
    ]);
    for (const run of runs) {
      expect(run.code).toBe(1);
      for (const key of Object.values(keys)) {
        expect(run.stdout).not.toContain(key);
        expect(run.stderr).not.toContain(key);
        // Not even the body without its prefix.
        expect(run.stdout).not.toContain(key.slice(8, 40));
      }
    }
  });
});

describe("bare repositories", () => {
  it("can be scanned with --history (a mirror clone has every ref)", async () => {
    const mirror = tempDir("slg-cli-bare-");
    try {
      git(mirror.dir, ["clone", "-q", "--mirror", tmp.dir, "repo.git"]);
      const report = parseJson(await scan(["--history", "repo.git", "-f", "json"], { cwd: mirror.dir }));
      expect(new Set(report.findings.map((f) => f.commit?.sha))).toEqual(new Set([first, second, onBranch]));
    } finally {
      mirror.cleanup();
    }
  });
});
