/*
 * History-scan benchmark (issue 5, "within 1.3x of git log -p piped through
 * ripgrep on the same clone"): a repository of --commits commits (default
 * 10,000) is generated with git fast-import, with keys added and later
 * removed; it is bare-cloned as the worker does, then timed:
 *   - the worker's history scanner (scanCloneHistory: the CLI's `git log -p
 *     --all` splitter and engine) on the clone, in process;
 *   - `git log -p --all | rg <gitleaks' Stripe regex>` on the same clone.
 * It prints the medians and their ratio; it asserts nothing.
 *
 *   npx tsx bench/history-scan.ts [--commits 10000] [--runs 3]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bareClone, removeClone } from "../src/history/clone.js";
import { scanCloneHistory } from "../src/history/scan-clone.js";
import { fakeKey } from "../test/helpers/fake-keys.js";

const GITLEAKS_STRIPE = String.raw`(?i)\b((sk|rk)_(test|live|prod)_[0-9a-z]{10,99})(?:[\x60'"\s;]|\\[nr]|$)`;
const { values } = parseArgs({ options: { commits: { type: "string", default: "10000" }, runs: { type: "string", default: "3" } } });
const COMMITS = Number(values.commits);
const RUNS = Math.max(1, Number(values.runs));

function fileBody(commit: number, file: number): string {
  const lines = [];
  for (let i = 0; i < 30; i++) lines.push(`export const value${i} = computePayment(${commit * 31 + file * 7 + i}, "currency-${(commit + i) % 13}");`);
  return `${lines.join("\n")}\n`;
}

/** A fast-import stream: each commit rewrites one of 200 files; every 500th adds a key that is removed 10 commits later. */
function fastImportStream(): { text: string; planted: number } {
  const out: string[] = [];
  let planted = 0;
  const keyed = new Map<number, number>();
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  for (let c = 1; c <= COMMITS; c++) {
    const when = 1_600_000_000 + c * 60;
    out.push(`commit refs/heads/main\nmark :${c}\ncommitter Dev <dev@example.com> ${when} +0000\n${data(`commit ${c}`)}`);
    if (c > 1) out.push(`from :${c - 1}\n`);
    const file = c % 200;
    let body = fileBody(c, file);
    if (c % 500 === 0) {
      body += `const stripeKey = "${fakeKey("sk", "live")}";\n`;
      keyed.set(c + 10, file);
      planted++;
    }
    out.push(`M 100644 inline src/module${file}.ts\n${data(body)}`);
    const cleanup = keyed.get(c);
    if (cleanup !== undefined && cleanup !== file) out.push(`M 100644 inline src/module${cleanup}.ts\n${data(fileBody(c, cleanup))}`);
  }
  return { text: out.join(""), planted };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const work = mkdtempSync(join(tmpdir(), "slg-bench-history-"));
try {
  const source = join(work, "source");
  spawnSync("git", ["init", "-q", "--bare", source]);
  const stream = fastImportStream();
  let started = performance.now();
  const imported = spawnSync("git", ["-C", source, "fast-import", "--quiet"], { input: stream.text, maxBuffer: 1 << 30 });
  if (imported.status !== 0) throw new Error(`fast-import failed: ${imported.stderr.toString()}`);
  console.log(`generated ${COMMITS} commits with ${stream.planted} keys added and later removed, in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  started = performance.now();
  const clone = await bareClone({ url: source, parentDir: work });
  console.log(`bare clone in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const ours: number[] = [];
  let keys = 0;
  let commits = 0;
  for (let run = 0; run <= RUNS; run++) {
    const t = performance.now();
    const result = await scanCloneHistory(clone.gitDir, "bench-pepper-0123456789abcdef");
    if (run > 0) ours.push(performance.now() - t); // the first run warms the JIT and the page cache
    keys = result.introductions.size;
    commits = result.commits;
  }

  const rg = spawnSync("rg", ["--version"]).status === 0;
  const theirs: number[] = [];
  let rgLines = 0;
  if (rg) {
    const pipeline = `set -o pipefail; git -C '${clone.gitDir}' log -p --all | rg --no-config --count -e '${GITLEAKS_STRIPE.replace(/'/g, `'\\''`)}' || test $? = 1`;
    for (let run = 0; run <= RUNS; run++) {
      const t = performance.now();
      const result = spawnSync("bash", ["-c", pipeline], { encoding: "utf8" });
      if (run > 0) theirs.push(performance.now() - t);
      rgLines = Number(result.stdout.trim() || 0);
    }
  }
  await removeClone(clone);

  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`history scanner       ${fmt(median(ours)).padStart(8)}   ${commits} commits, ${keys} distinct keys with their introducing commits`);
  if (rg) {
    console.log(`git log -p | rg       ${fmt(median(theirs)).padStart(8)}   ${rgLines} matching lines`);
    console.log(`ratio ${(median(ours) / median(theirs)).toFixed(2)}x (goal ≤ 1.3x)`);
  } else {
    console.log("rg not installed (apt-get install ripgrep): no comparison");
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
