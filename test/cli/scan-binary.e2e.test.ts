import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeKey } from "../helpers/fake-keys.js";
import { parseJson, scan, tempDir } from "./cli-harness.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** Bytes around a runtime-built key, NUL-laden so the file is binary by git's test. */
function binaryWith(key: string, prefix: number[] = []): Buffer {
  return Buffer.concat([Buffer.from(prefix), Buffer.from([0, 1, 2, 0xff, 0x0a, 0, 0x7f, 0]), Buffer.from(key, "latin1"), Buffer.from([0, 0xfe, 0x0a, 0])]);
}

describe("scan <paths> on binary files", () => {
  it("finds a key embedded in a binary file, marks it, and counts the file as covered", async () => {
    const key = fakeKey("sk", "live");
    tmp.put("app.bin", binaryWith(key));
    const result = await scan([".", "-f", "json"], { cwd: tmp.dir });
    expect(result.code).toBe(1);
    const report = parseJson(result);
    expect(report.skipped).toEqual([]);
    expect(report.stats).toMatchObject({ files: 1, skipped: 0 });
    expect(report.findings).toHaveLength(1);
    // One \n byte before the key, then 3 bytes on its line.
    expect(report.findings[0]).toMatchObject({ path: "app.bin", line: 2, column: 4, endColumn: 4 + key.length, kind: "secret", mode: "live", binary: true });
    expect(report.findings[0]!.redacted.endsWith(key.slice(-4))).toBe(true);
    expect(result.stdout).not.toContain(key);

    const text = await scan(["."], { cwd: tmp.dir });
    expect(text.stdout).toContain("app.bin:2:4");
    expect(text.stdout).toContain("(in binary file)");
    expect(text.stdout).not.toContain("INCOMPLETE");
    expect(text.stdout).not.toContain(key);
  });

  it("scans an image's bytes (a key in PNG metadata) and counts it as covered", async () => {
    const key = fakeKey("rk", "live");
    // A PNG signature, then a tEXt chunk's uncompressed text with the key in it.
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x40]), Buffer.from("tEXtComment\0", "latin1"), Buffer.from(key), Buffer.alloc(8)]);
    tmp.put("shot.png", png);
    tmp.put("plain.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
    const report = parseJson(await scan([".", "-f", "json"], { cwd: tmp.dir }));
    expect(report.skipped).toEqual([]);
    expect(report.stats.files).toBe(2);
    expect(report.findings.map((f) => [f.path, f.kind, f.binary])).toEqual([["shot.png", "restricted", true]]);
  });

  it("keeps compressed archives skipped, so the scan stays incomplete", async () => {
    // A key after zip magic is only visible here because this fake archive is stored, not compressed: still not trusted as covered.
    tmp.put("bundle.jar", binaryWith(fakeKey("sk", "live"), [0x50, 0x4b, 0x03, 0x04]));
    tmp.put("logs.gz", Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]));
    tmp.put("ok.txt", "fine\n");
    const result = await scan([".", "-f", "json"], { cwd: tmp.dir });
    const report = parseJson(result);
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([
      { path: "bundle.jar", reason: "compressed archive (zip): not scanned" },
      { path: "logs.gz", reason: "compressed archive (gzip): not scanned" },
    ]);
    const text = await scan(["."], { cwd: tmp.dir });
    expect(text.stdout).toContain("but the scan is incomplete");
    expect(text.stdout).toContain("INCOMPLETE: 2 items were not scanned:");
  });

  it("scans binary stdin the same way", async () => {
    const key = fakeKey("sk", "live");
    const report = parseJson(await scan(["-", "-f", "json"], { cwd: tmp.dir, stdin: `\0\0${key}\0` }));
    expect(report.skipped).toEqual([]);
    expect(report.findings.map((f) => [f.path, f.binary])).toEqual([["<stdin>", true]]);
  });

  it("gives the same result on several threads as on one", async () => {
    for (let i = 0; i < 120; i++) tmp.put(`blob${i}.bin`, i % 40 === 0 ? binaryWith(fakeKey("sk", "live")) : Buffer.from([0, i, 0]));
    const threaded = parseJson(await scan([".", "-f", "json", "-j", "2"], { cwd: tmp.dir }));
    const single = parseJson(await scan([".", "-f", "json", "-j", "1"], { cwd: tmp.dir }));
    expect(threaded.findings).toHaveLength(3);
    expect(threaded.findings.every((f) => f.binary === true)).toBe(true);
    expect(threaded.findings).toEqual(single.findings);
    expect(threaded.skipped).toEqual([]);
  });
});
