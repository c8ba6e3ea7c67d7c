import { chmodSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeKey } from "../helpers/fake-keys.js";
import { parseJson, scan, tempDir } from "./cli-harness.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe("scan <paths>", () => {
  it("walks a directory, respects .gitignore, skips .git, and reports position, kind and severity", async () => {
    const live = fakeKey("sk", "live");
    tmp.put("src/pay.js", `// payments\nconst k = "${live}";\n`);
    tmp.put(".gitignore", "dist/\n");
    tmp.put("dist/bundle.js", `x("${fakeKey("sk", "live")}")`);
    tmp.put(".git/config", `key = ${fakeKey("sk", "live")}\n`);
    tmp.put("nested/.gitignore", "*.local\n");
    tmp.put("nested/secrets.local", `${fakeKey("rk", "live")}\n`);

    const result = await scan([".", "--format", "json"], { cwd: tmp.dir });
    expect(result.code).toBe(1);
    const report = parseJson(result);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      path: "src/pay.js",
      line: 2,
      column: 12,
      endColumn: 12 + live.length,
      kind: "secret",
      mode: "live",
      severity: "critical",
    });
    expect(report.findings[0]!.redacted.endsWith(live.slice(-4))).toBe(true);
    expect(report.findings[0]!.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(report.stats).toMatchObject({ files: 3, commits: 0, skipped: 0 });
    expect(report.stats.bytes).toBeGreaterThan(live.length);
  });

  it("shows paths relative to the scanned directory", async () => {
    tmp.put("proj/a/b.env", `KEY=${fakeKey("sk", "live")}\n`);
    const report = parseJson(await scan(["proj", "-f", "json"], { cwd: tmp.dir }));
    expect(report.findings.map((f) => f.path)).toEqual(["a/b.env"]);
  });

  it("scans named files and reads - from stdin", async () => {
    tmp.put("one.txt", `${fakeKey("sk", "live")}\n`);
    const result = await scan(["one.txt", "-", "-f", "json"], { cwd: tmp.dir, stdin: `line\nexport K=${fakeKey("rk", "live")}\n` });
    const report = parseJson(result);
    expect(report.findings.map((f) => [f.path, f.line, f.kind])).toEqual([
      ["<stdin>", 2, "restricted"],
      ["one.txt", 1, "secret"],
    ]);
    expect(report.stats.files).toBe(2);
  });

  it("exits 0 on a clean tree and says so", async () => {
    tmp.put("README.md", "nothing to see\n");
    const result = await scan(["."], { cwd: tmp.dir });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^No Stripe keys found \(1 file, /);
  });

  it("fails only on findings at or above --fail-on (default high)", async () => {
    tmp.put("test.env", `STRIPE_KEY=${fakeKey("sk", "test")}\n`);
    expect((await scan(["."], { cwd: tmp.dir })).code).toBe(0);
    expect((await scan([".", "--fail-on", "low"], { cwd: tmp.dir })).code).toBe(1);
    tmp.put("live.env", `STRIPE_KEY=${fakeKey("sk", "live")}\n`);
    expect((await scan(["."], { cwd: tmp.dir })).code).toBe(1);
    expect((await scan([".", "--fail-on", "none"], { cwd: tmp.dir })).code).toBe(0);
  });

  it("counts compressed archives and oversized files as skipped and never calls such a scan clean", async () => {
    tmp.put("logo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    tmp.put("bundle.zip", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    tmp.put("big.sql", "x".repeat(2 * 1024 * 1024));
    tmp.put("ok.txt", "fine\n");
    const json = parseJson(await scan([".", "-f", "json", "--max-file-size", "1"], { cwd: tmp.dir }));
    expect(json.stats).toMatchObject({ files: 2, skipped: 2 });
    expect(json.skipped).toEqual([
      { path: "big.sql", reason: "larger than 1 MiB (--max-file-size)" },
      { path: "bundle.zip", reason: "compressed archive (zip): not scanned" },
    ]);
    const text = await scan([".", "--max-file-size", "1"], { cwd: tmp.dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("but the scan is incomplete");
    expect(text.stdout).toContain("INCOMPLETE: 2 items were not scanned:");
    expect(text.stdout).toContain("bundle.zip: compressed archive (zip): not scanned");
  });

  // Permissions do not stop root, so these two run only as an ordinary user.
  it.skipIf(process.getuid?.() === 0)("counts unreadable files in a walk as skipped", async () => {
    const secret = tmp.put("locked.txt", "x\n");
    chmodSync(secret, 0o000);
    const json = parseJson(await scan([".", "-f", "json"], { cwd: tmp.dir }));
    expect(json.skipped).toEqual([{ path: "locked.txt", reason: "unreadable (EACCES)" }]);
  });

  it.skipIf(process.getuid?.() === 0)("is an error when a file named on the command line is unreadable", async () => {
    chmodSync(tmp.put("locked.txt", "x\n"), 0o000);
    const result = await scan(["locked.txt"], { cwd: tmp.dir });
    expect(result).toMatchObject({ code: 2, stderr: "stripe-leak-guard: cannot read locked.txt (EACCES)\n" });
  });

  it("scans many files on several threads with the same result as one thread", async () => {
    const keys: string[] = [];
    for (let i = 0; i < 150; i++) {
      const key = i % 10 === 0 ? fakeKey("sk", "live") : undefined;
      if (key) keys.push(key);
      tmp.put(`pkg${i % 7}/file${i}.ts`, `export const a${i} = ${i};\n${key ? `const k = "${key}";\n` : ""}`);
    }
    const single = parseJson(await scan([".", "-f", "json", "-j", "1"], { cwd: tmp.dir }));
    expect(single.findings).toHaveLength(keys.length);
    for (const threads of ["2", "4"]) {
      const threaded = parseJson(await scan([".", "-f", "json", "-j", threads], { cwd: tmp.dir }));
      expect(threaded.findings).toEqual(single.findings);
      expect(threaded.stats.files).toBe(150);
    }
  });

  it("writes the report to --output", async () => {
    tmp.put("a.txt", `${fakeKey("sk", "live")}\n`);
    const result = await scan([".", "-f", "sarif", "-o", "out.sarif"], { cwd: tmp.dir });
    expect(result).toMatchObject({ code: 1, stdout: "" });
    const sarif = JSON.parse(readFileSync(join(tmp.dir, "out.sarif"), "utf8")) as { version: string };
    expect(sarif.version).toBe("2.1.0");
  });
});

describe("progress", () => {
  it("draws on a terminal's stderr and erases itself", async () => {
    for (let i = 0; i < 5; i++) tmp.put(`f${i}.txt`, "x\n");
    const result = await scan(["."], { cwd: tmp.dir, tty: true });
    expect(result.stderr).toContain("\r");
    expect(result.stderr).toContain("5/5 files");
    expect(result.stderr.endsWith("\r\x1b[K")).toBe(true);
  });

  it("stays quiet when stderr is not a terminal, or with --no-progress", async () => {
    tmp.put("f.txt", "x\n");
    expect((await scan(["."], { cwd: tmp.dir })).stderr).toBe("");
    expect((await scan([".", "--no-progress"], { cwd: tmp.dir, tty: true })).stderr).toBe("");
  });
});

describe("errors exit 2 with a clear message", () => {
  it.each([
    [["missing-dir"], /no such file or directory: missing-dir/],
    [["--format", "xml"], /--format must be one of text, json, sarif/],
    [["--wat"], /unknown option --wat\nRun "stripe-leak-guard scan --help"/],
    [["--config", "nope.yml"], /config file not found: nope.yml/],
    [["--diff", "nope.patch"], /no such diff file: nope.patch/],
  ])("%j", async (argv, message) => {
    const result = await scan(argv, { cwd: tmp.dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
  });

  it("rejects an invalid environment", async () => {
    const result = await scan(["."], { cwd: tmp.dir, env: { STRIPE_LEAK_GUARD_PEPPER: "short" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("STRIPE_LEAK_GUARD_PEPPER must be at least 16 characters");
  });
});

describe("pepper", () => {
  it("keys fingerprints with STRIPE_LEAK_GUARD_PEPPER", async () => {
    tmp.put("a.txt", `${fakeKey("sk", "live")}\n`);
    const byDefault = parseJson(await scan([".", "-f", "json"], { cwd: tmp.dir })).findings[0]!.fingerprint;
    const peppered = parseJson(await scan([".", "-f", "json"], { cwd: tmp.dir, env: { STRIPE_LEAK_GUARD_PEPPER: "an-operator-chosen-pepper" } })).findings[0]!.fingerprint;
    expect(peppered).not.toBe(byDefault);
  });
});

describe("text encodings", () => {
  it("reads UTF-16 files with a byte-order mark instead of skipping them as binary", async () => {
    const key = fakeKey("sk", "live");
    const text = `$key = "${key}"\r\n`;
    tmp.put("le.ps1", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    tmp.put("be.ps1", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]));
    const report = parseJson(await scan([".", "-f", "json"], { cwd: tmp.dir }));
    expect(report.skipped).toEqual([]);
    expect(report.findings.map((f) => [f.path, f.line, f.column])).toEqual([
      ["be.ps1", 1, 9],
      ["le.ps1", 1, 9],
    ]);
  });

  it("counts columns after a UTF-8 byte-order mark, and in UTF-16 code units after non-ASCII text", async () => {
    const key = fakeKey("sk", "live");
    tmp.put("bom.txt", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`k="${key}"\n`)]));
    tmp.put("emoji.txt", `🔑 é "${key}"\n`);
    const report = parseJson(await scan([".", "-f", "json"], { cwd: tmp.dir }));
    expect(report.findings.map((f) => [f.path, f.column])).toEqual([
      ["bom.txt", 4],
      ["emoji.txt", 7],
    ]);
  });
});
