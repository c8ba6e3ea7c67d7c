import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScanPool } from "../../src/cli/scan-pool.js";
import { ScanTally } from "../../src/cli/report.js";
import type { Progress } from "../../src/cli/progress.js";
import type { WalkedFile } from "../../src/cli/walk.js";
import { fakeKey } from "../helpers/fake-keys.js";

/*
 * The pool with its scan threads started from the first file, so that a few
 * hundred files exercise the shared queue: every file is scanned exactly
 * once, whichever thread takes it, and the result is the one thread's.
 */

let dir: string;
const files: WalkedFile[] = [];
const keys: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "slg-pool-"));
  for (let i = 0; i < 400; i++) {
    const sub = join(dir, `d${i % 9}`);
    mkdirSync(sub, { recursive: true });
    const key = i % 25 === 3 ? fakeKey(i % 2 === 0 ? "sk" : "rk", "live") : undefined;
    if (key) keys.push(key);
    const abs = join(sub, `f${i}.ts`);
    writeFileSync(abs, `export const v${i} = "${"x".repeat(i * 7)}";\n${key ? `const key = "${key}";\n` : ""}`);
    files.push({ abs, display: `d${i % 9}/f${i}.ts` });
  }
  writeFileSync(join(dir, "blob.bin"), Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(` ${fakeKey("sk", "test")} `)]));
  files.push({ abs: join(dir, "blob.bin"), display: "blob.bin" });
  files.push({ abs: join(dir, "missing.ts"), display: "missing.ts" });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scanWith(threads: number): Promise<ScanTally> {
  const tally = new ScanTally();
  const updates: Array<[number, number | undefined]> = [];
  const progress: Progress = { update: (done, total) => updates.push([done, total]), done: () => undefined };
  const pool = await ScanPool.create({ pepper: "p".repeat(16), maxFileSize: 1 << 20, tally, progress, filesBeforeThreads: 0 }, threads);
  for (const file of files) pool.add(file);
  // Give the threads time to start and take work, so that the queue is really shared.
  for (let waited = 0; threads > 1 && pool.scannedByThreads() === 0 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  if (threads > 1) expect(pool.scannedByThreads()).toBeGreaterThan(0);
  await pool.finish();
  expect(updates.at(-1)).toEqual([files.length, files.length]);
  return tally;
}

const summary = (tally: ScanTally): unknown => ({
  files: tally.files,
  bytes: tally.bytes,
  findings: tally.findings.map((f) => `${f.path}:${f.line}:${f.column}:${f.ruleId}`).sort(),
  skipped: [...tally.skipped].sort((a, b) => a.path.localeCompare(b.path)),
  binary: [...tally.binaryFiles].sort(),
});

describe("ScanPool", () => {
  it("scans every file once on one thread", async () => {
    const tally = await scanWith(1);
    expect(tally.files).toBe(401);
    expect(tally.findings).toHaveLength(keys.length + 1);
    expect(tally.skipped).toEqual([{ path: "missing.ts", reason: "unreadable (ENOENT)" }]);
    expect([...tally.binaryFiles]).toEqual(["blob.bin"]);
  });

  it.each([2, 3])("gives the one thread's result with %i threads sharing the queue", async (threads) => {
    expect(summary(await scanWith(threads))).toEqual(summary(await scanWith(1)));
  });
});
