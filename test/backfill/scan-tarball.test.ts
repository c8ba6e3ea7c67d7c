import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { scanTarball, stripTopLevel } from "../../src/backfill/scan-tarball.js";
import { TarError, TarParser } from "../../src/backfill/tar-parser.js";
import { revealSecret } from "../../src/scanner/index.js";
import { fakeKey, fakeWebhookSecret } from "../helpers/fake-keys.js";
import { buildRepoTarball, buildTar, chunked } from "./tar-writer.js";

const PEPPER = "backfill-tests-pepper-0123456789";
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "slg-tar-"));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("stripTopLevel", () => {
  it("drops GitHub's owner-repo-sha folder", () => {
    expect(stripTopLevel("octo-shop-abc1234/src/a.ts")).toBe("src/a.ts");
    expect(stripTopLevel("octo-shop-abc1234/")).toBe("");
    expect(stripTopLevel("octo-shop-abc1234")).toBe("");
  });
});

describe("scanTarball on archives built at runtime", () => {
  it("finds keys with repository-relative paths and lines, reads the commit from the pax global header", async () => {
    const key = fakeKey("sk", "live");
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const tarball = buildRepoTarball("octo-shop-0123456", { "README.md": "hello\n", "config/prod.env": `A=1\nB=2\nSTRIPE=${key}\n` }, sha);
    const result = await scanTarball(chunked(tarball, 1000), { pepper: PEPPER });
    expect(result.commitSha).toBe(sha);
    expect(result.filesScanned).toBe(2);
    expect(result.findings.map((f) => [f.path, f.line, f.ruleId])).toEqual([["config/prod.env", 3, "stripe-secret-live"]]);
    expect(revealSecret(result.findings[0]!)).toBe(key);
  });

  it("reads pax long names, GNU long names, ustar prefixes and base-256 sizes", async () => {
    const deep = `${"d".repeat(60)}/${"e".repeat(60)}/${"f".repeat(60)}`;
    const keys = [fakeKey("sk", "live"), fakeKey("rk", "live"), fakeKey("sk", "test"), fakeWebhookSecret()];
    const tar = buildTar([
      { type: "global", records: { comment: "b".repeat(40) } },
      { type: "dir", path: "top/" },
      { type: "file", path: `top/${deep}/pax.txt`, content: `${keys[0]}\n`, longName: "pax" },
      { type: "file", path: `top/${deep}/gnu.txt`, content: `x\n${keys[1]}\n`, longName: "gnu" },
      { type: "file", path: `top/${"p".repeat(90)}/prefixed.txt`, content: `x\ny\n${keys[2]}\n`, longName: "prefix" },
      { type: "file", path: "top/big-size-field.txt", content: `${keys[3]}\n`, base256Size: true },
    ]);
    const result = await scanTarball(chunked(gzipSync(tar), 333), { pepper: PEPPER });
    expect(result.findings.map((f) => [f.path, f.line])).toEqual([
      [`${deep}/pax.txt`, 1],
      [`${deep}/gnu.txt`, 2],
      [`${"p".repeat(90)}/prefixed.txt`, 3],
      ["big-size-field.txt", 1],
    ]);
  });

  it("skips binary files (counted by path) and entries that are not regular files", async () => {
    const key = fakeKey("sk", "live");
    const binary = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]), Buffer.from(key)]);
    const tar = buildTar([
      { type: "dir", path: "top/" },
      { type: "dir", path: "top/assets" },
      { type: "file", path: "top/assets/logo.png", content: binary },
      { type: "symlink", path: "top/link", target: "assets/logo.png" },
      { type: "file", path: "top/empty.txt", content: "" },
    ]);
    const result = await scanTarball(chunked(gzipSync(tar), 64), { pepper: PEPPER });
    expect(result.findings).toEqual([]);
    expect(result.binarySkipped).toEqual(["assets/logo.png"]);
    expect(result.nonFilesSkipped).toBe(3);
    expect(result.filesScanned).toBe(1);
  });

  it("gives the same answer whatever the chunk size, down to one byte", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 5; i++) files[`f${i}.txt`] = `${"line\n".repeat(i * 37)}k=${fakeKey("sk", "live")}\n`;
    const tarball = buildRepoTarball("top", files);
    const whole = await scanTarball(chunked(tarball, tarball.length), { pepper: PEPPER });
    const bytewise = await scanTarball(chunked(tarball, 1), { pepper: PEPPER });
    expect(whole.findings).toHaveLength(5);
    expect(bytewise.findings.map((f) => [f.path, f.line, f.fingerprint])).toEqual(whole.findings.map((f) => [f.path, f.line, f.fingerprint]));
  });

  it("scans a large file in segments with the right line numbers, also inside an overlong line", async () => {
    const keys = [fakeKey("sk", "live"), fakeKey("rk", "live"), fakeKey("sk", "live")];
    const lines = [];
    for (let i = 1; i <= 300; i++) lines.push(i === 50 ? `a=${keys[0]}` : i === 250 ? `b=${keys[1]}` : `filler line ${i}`);
    // Line 301: one long line with a key in the middle, longer than a segment.
    lines.push(`${"x".repeat(9000)} ${keys[2]} ${"y".repeat(9000)}`);
    const tarball = buildRepoTarball("top", { "big.txt": `${lines.join("\n")}\n` });
    const result = await scanTarball(chunked(tarball, 4096), { pepper: PEPPER, segmentBytes: 2048 });
    expect(result.findings.map((f) => f.line)).toEqual([50, 250, 301]);
    expect(result.findings.map((f) => revealSecret(f))).toEqual(keys);
  });

  it("emits findings before the archive has finished arriving", async () => {
    const key = fakeKey("sk", "live");
    const filler: Record<string, string> = { "a-first.env": `K=${key}\n` };
    for (let i = 0; i < 40; i++) filler[`later/${i}.txt`] = `${"z".repeat(2000)}\n`;
    const tarball = buildRepoTarball("top", filler);
    let seenEarly = false;
    let announced: () => void = () => undefined;
    const found = new Promise<void>((resolve) => {
      announced = resolve;
    });
    async function* slowSource(): AsyncGenerator<Buffer> {
      const half = Math.floor(tarball.length / 2);
      yield tarball.subarray(0, half);
      // A scanner that waited for the whole archive would never call back here.
      seenEarly = await Promise.race([found.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000))]);
      yield tarball.subarray(half);
    }
    const result = await scanTarball(slowSource(), { pepper: PEPPER, onFindings: () => announced() });
    expect(seenEarly).toBe(true);
    expect(result.findings).toHaveLength(1);
  });

  it("refuses a corrupt header and an archive cut short, rather than calling them clean", async () => {
    const tar = buildTar([{ type: "file", path: "top/a.txt", content: "x".repeat(2000) }]);
    const corrupt = Buffer.from(tar);
    corrupt[10] = (corrupt[10] ?? 0) ^ 0xff;
    await expect(scanTarball(chunked(corrupt, 512), { pepper: PEPPER, gzip: false })).rejects.toBeInstanceOf(TarError);
    await expect(scanTarball(chunked(tar.subarray(0, 1500), 512), { pepper: PEPPER, gzip: false })).rejects.toThrow(/ended early/);
    await expect(scanTarball(chunked(Buffer.from("not gzip at all"), 5), { pepper: PEPPER })).rejects.toThrow();
  });

  it("reads what GNU tar writes in gnu and pax formats, long names included", async () => {
    const dir = tempDir();
    const long = join("top", "n".repeat(120), "m".repeat(120));
    mkdirSync(join(dir, long), { recursive: true });
    const key = fakeKey("sk", "live");
    writeFileSync(join(dir, long, "secret.env"), `X=${key}\n`);
    writeFileSync(join(dir, "top", "blob.bin"), Buffer.from([0, 1, 2, 3]));
    symlinkSync("blob.bin", join(dir, "top", "alias"));
    for (const format of ["gnu", "pax", "ustar"]) {
      const args = ["-C", dir, "-czf", "-", `--format=${format}`, "top"];
      let archive: Buffer;
      try {
        archive = execFileSync("tar", args, { stdio: ["ignore", "pipe", "pipe"] });
      } catch {
        // ustar cannot store a 250-character path: tar refuses it, which is the point of the other formats.
        expect(format).toBe("ustar");
        continue;
      }
      const result = await scanTarball(chunked(archive, 777), { pepper: PEPPER });
      expect(result.findings.map((f) => f.path)).toEqual([`${"n".repeat(120)}/${"m".repeat(120)}/secret.env`]);
      expect(result.binarySkipped).toEqual(["blob.bin"]);
    }
  });

  it("reads git archive's output, the format GitHub serves, with the commit id", async () => {
    const dir = tempDir();
    const git = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { stdio: ["ignore", "pipe", "pipe"] }).toString().trim();
    git("init", "-q");
    const key = fakeKey("rk", "live");
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src", "pay.js"), `const k = "${key}";\n`);
    git("add", ".");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init");
    const sha = git("rev-parse", "HEAD");
    const archive = execFileSync("git", ["-C", dir, "archive", "--format=tar.gz", `--prefix=octo-shop-${sha.slice(0, 7)}/`, "HEAD"]);
    const result = await scanTarball(chunked(archive, 4096), { pepper: PEPPER });
    expect(result.commitSha).toBe(sha);
    expect(result.findings.map((f) => [f.path, f.line])).toEqual([["src/pay.js", 1]]);
  });
});

describe("TarParser", () => {
  it("stops at the two zero blocks and ignores what follows", () => {
    const paths: string[] = [];
    const parser = new TarParser({ fileStart: (e) => paths.push(e.path), data: () => undefined, fileEnd: () => undefined });
    parser.write(Buffer.concat([buildTar([{ type: "file", path: "a", content: "1" }]), Buffer.from("trailing garbage")]));
    parser.end();
    expect(parser.finished).toBe(true);
    expect(paths).toEqual(["a"]);
  });
});
