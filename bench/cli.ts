/*
 * CLI wall-time benchmark (issue 2, item 5, second and third figures):
 *   - `stripe-leak-guard scan <dir>` on a generated tree of ~20k files;
 *   - `stripe-leak-guard scan --history` on a generated repository of a few thousand commits;
 * each next to ripgrep running gitleaks' Stripe regex over the same data
 * (`rg <dir>`, and `git log -p --all | rg`), when rg is installed.
 *
 * It prints; it asserts nothing. Everything is generated at runtime into a
 * temp directory and removed at the end. The CLI is built first (tsc) and
 * timed as users run it: `node bin/stripe-leak-guard.js`.
 *
 *   npx tsx bench/cli.ts [--files 20000] [--commits 3000] [--runs 3]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { fakeKey, fakeWebhookSecret, randomBody } from "../test/helpers/fake-keys.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(ROOT, "bin", "stripe-leak-guard.js");
/** gitleaks' stripe-access-token rule, the same expression bench/engine.ts times (case-sensitive, so ripgrep's fastest). */
const GITLEAKS_STRIPE = String.raw`\b((?:sk|rk)_(?:test|live|prod)_[a-zA-Z0-9]{10,99})(?:[\x60'"\s;]|\\[nr]|$)`;

const { values } = parseArgs({
  options: {
    files: { type: "string", default: "20000" },
    commits: { type: "string", default: "3000" },
    runs: { type: "string", default: "3" },
  },
});
const FILES = Number(values.files);
const COMMITS = Number(values.commits);
const RUNS = Math.max(1, Number(values.runs));

/* ---------- deterministic text generation ---------- */

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20261130);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const int = (max: number): number => Math.floor(rand() * max);

const WORDS = (
  "user account payment invoice customer charge refund session token request response client server config " +
  "value result error handler event webhook price product order cart checkout amount currency status message " +
  "task desk risk disk ask mask tsk_runner task_test_suite risk_live_feed desk_test_env data item list map index"
).split(" ");
const ident = (): string => pick(WORDS) + (rand() < 0.5 ? pick(WORDS).replace(/^\w/, (c) => c.toUpperCase()) : "");
const TEMPLATES: Array<() => string> = [
  () => `  const ${ident()} = await ${ident()}.${ident()}(${ident()}, "${pick(WORDS)} ${pick(WORDS)}");`,
  () => `  // ${Array.from({ length: 6 + int(8) }, () => pick(WORDS)).join(" ")}.`,
  () => `  if (${ident()}.${ident()} > ${int(10000)}) { return ${ident()}; }`,
  () => `    "${ident()}": "${pick(WORDS)}-${int(99999)}",`,
  () => `    ${ident()} = ${ident()}(${ident()}=${int(500)}, ${ident()}="${pick(WORDS)}")`,
  () => `  url: "https://api.${pick(WORDS)}.example.com/v1/${pick(WORDS)}?limit=${int(100)}&after=${randomBody(14)}",`,
  () => `2024-0${1 + int(9)}-1${int(9)}T12:${10 + int(49)}:00Z INFO ${pick(WORDS)} ${ident()} id=${randomBody(24)} ms=${int(900)}`,
  () => `export function ${ident()}(${ident()}: ${pick(["string", "number", "Buffer", "Request"])}): void {`,
  () => `  ${ident()}.${ident()}.push({ id: "${pick(WORDS)}_${randomBody(16)}", ${ident()}: ${int(100)} });`,
  () => `}`,
  () => ``,
  () => `import { ${ident()}, ${ident()} } from "./${pick(WORDS)}/${pick(WORDS)}.js";`,
];
const POOL = Array.from({ length: 6000 }, () => pick(TEMPLATES)());

const PLANTS: Array<() => string> = [
  () => `const stripe = new Stripe("${fakeKey("sk", "live")}");`,
  () => `STRIPE_SECRET_KEY=${fakeKey("sk", "test")}`,
  () => `  restricted: '${fakeKey("rk", "live")}',`,
  () => `export STRIPE_WEBHOOK_SECRET=${fakeWebhookSecret()}`,
  () => `<script>Stripe("${fakeKey("pk", "live")}")</script>`,
];

function sourceText(bytes: number, plant: boolean): string {
  const lines: string[] = [];
  let size = 0;
  const at = plant ? int(Math.max(1, bytes / 60)) : -1;
  while (size < bytes) {
    const line = lines.length === at ? pick(PLANTS)() : pick(POOL);
    lines.push(line);
    size += line.length + 1;
  }
  if (plant && at >= lines.length) lines.push(pick(PLANTS)());
  return lines.join("\n") + "\n";
}

/* ---------- data sets ---------- */

const EXTENSIONS = [".ts", ".js", ".py", ".json", ".md", ".yml", ".log", ".env"];
const PLANT_EVERY = 200;

function generateTree(dir: string): { bytes: number; planted: number } {
  let bytes = 0;
  let planted = 0;
  for (let i = 0; i < FILES; i++) {
    const sub = join(dir, `pkg${i % 40}`, `mod${Math.floor(i / 40) % 25}`);
    if (i < 1000) mkdirSync(sub, { recursive: true });
    const plant = i % PLANT_EVERY === 7;
    // Mostly small files with a long tail, ~15 KB on average.
    const size = rand() < 0.9 ? 2000 + int(16000) : 40000 + int(80000);
    const text = sourceText(size, plant);
    writeFileSync(join(sub, `file${i}${pick(EXTENSIONS)}`), text);
    bytes += text.length;
    if (plant) planted++;
  }
  writeFileSync(join(dir, ".gitignore"), "ignored-build/\n");
  return { bytes, planted };
}

function generateHistory(dir: string): { commits: number; planted: number } {
  execFileSync("git", ["init", "-q", "-b", "main", dir]);
  const chunks: string[] = [];
  let planted = 0;
  const blob = (path: string, text: string): void => {
    chunks.push(`M 100644 inline ${path}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
  };
  const commit = (ref: string, mark: number, parent: number | undefined, i: number): void => {
    const message = `change ${i}: ${pick(WORDS)} ${pick(WORDS)}\n`;
    const when = 1_600_000_000 + i * 3600;
    chunks.push(`commit ${ref}\nmark :${mark}\nauthor Dev ${i % 17} <dev${i % 17}@example.com> ${when} +0000\ncommitter Dev ${i % 17} <dev${i % 17}@example.com> ${when} +0000\n`);
    chunks.push(`data ${Buffer.byteLength(message)}\n${message}`);
    if (parent !== undefined) chunks.push(`from :${parent}\n`);
    for (let f = 0; f < 2; f++) {
      const plant = (i * 2 + f) % (PLANT_EVERY / 2) === 3;
      if (plant) planted++;
      blob(`src/area${i % 30}/c${i}-${f}${pick(EXTENSIONS)}`, sourceText(6000 + int(24000), plant));
    }
    blob(`notes/n${i % 50}.md`, sourceText(1500 + int(3000), false));
  };
  const mainCommits = Math.floor(COMMITS * 0.95);
  for (let i = 1; i <= mainCommits; i++) commit("refs/heads/main", i, i > 1 ? i - 1 : undefined, i);
  for (let i = mainCommits + 1; i <= COMMITS; i++) commit("refs/heads/feature", i, i === mainCommits + 1 ? mainCommits - 20 : i - 1, i);
  execFileSync("git", ["-C", dir, "fast-import", "--quiet"], { input: chunks.join(""), maxBuffer: 1 << 30 });
  return { commits: COMMITS, planted };
}

/* ---------- timing ---------- */

interface Timed {
  ms: number;
  /** User + system CPU of the command and everything it waited for (git in a pipeline too); Linux only. */
  cpuMs: number | undefined;
  stdout: string;
}

/**
 * CPU time of this process's waited-for children, from /proc/self/stat
 * (cutime + cstime, in clock ticks of 10 ms). On a shared machine wall time
 * depends on the load; CPU time much less.
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 16 and 17 of proc(5), counted from 1; `fields` starts at field 3.
    return (Number(fields[16 - 3]) + Number(fields[17 - 3])) * 10;
  } catch {
    return undefined;
  }
}

function time(command: string, args: string[]): Timed {
  const cpuBefore = childrenCpuMs();
  const start = performance.now();
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  const ms = performance.now() - start;
  const cpuAfter = childrenCpuMs();
  if (result.error) throw result.error;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command} exited ${result.status}: ${result.stderr.slice(0, 500)}`);
  const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  return { ms, cpuMs, stdout: result.stdout };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** One warm-up run (page cache), then the median wall time and median CPU time of RUNS timed runs. */
function bench(command: string, args: string[]): Timed {
  const first = time(command, args);
  const runs = Array.from({ length: RUNS }, () => time(command, args));
  const cpu = runs.map((run) => run.cpuMs).filter((ms): ms is number => ms !== undefined);
  return { ms: median(runs.map((run) => run.ms)), cpuMs: cpu.length === runs.length ? median(cpu) : undefined, stdout: first.stdout };
}

function hasRipgrep(): boolean {
  return spawnSync("rg", ["--version"]).status === 0;
}

function cliFindings(stdout: string): { findings: number; files: number; bytes: number; commits: number; skipped: number } {
  const parsed = JSON.parse(stdout) as { findings: unknown[]; stats: { files: number; bytes: number; commits: number; skipped: number } };
  return { findings: parsed.findings.length, ...parsed.stats };
}

const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const cpu = (timed: Timed): string => (timed.cpuMs === undefined ? "" : `  (CPU ${fmt(timed.cpuMs)})`);

function report(label: string, cli: Timed, rg: Timed | undefined, detail: string): void {
  console.log(`${label}`);
  console.log(`  stripe-leak-guard  ${fmt(cli.ms).padStart(8)} wall${cpu(cli)}   ${detail}`);
  if (!rg) {
    console.log("  (rg not installed: apt-get install ripgrep)");
    return;
  }
  console.log(`  ripgrep            ${fmt(rg.ms).padStart(8)} wall${cpu(rg)}   ${rg.stdout.trim().split("\n").filter(Boolean).length} lines of per-file match counts`);
  const cpuRatio = cli.cpuMs !== undefined && rg.cpuMs ? `; CPU time ${(cli.cpuMs / rg.cpuMs).toFixed(2)}x` : "";
  console.log(`  stripe-leak-guard / ripgrep: wall time ${(cli.ms / rg.ms).toFixed(2)}x (goal ≤ 2x)${cpuRatio}`);
}

/* ---------- main ---------- */

const work = mkdtempSync(join(tmpdir(), "slg-bench-cli-"));
try {
  console.log(`CLI benchmark: ${cpus().length} CPUs (${cpus()[0]?.model ?? "unknown"}), node ${process.version}; median of ${RUNS} runs after a warm-up`);
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(" ")} (wall times stretch with it; CPU times much less)`);
  console.log("building lib/ (tsc -p tsconfig.build.json)…");
  spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "tsconfig.build.json")], { stdio: "ignore" });
  const rg = hasRipgrep();
  const env = { ...process.env };
  delete env["STRIPE_LEAK_GUARD_PEPPER"];

  const tree = join(work, "tree");
  mkdirSync(tree);
  let started = performance.now();
  const generated = generateTree(tree);
  console.log(`generated ${FILES} files, ${(generated.bytes / 1e6).toFixed(0)} MB, ${generated.planted} planted keys in ${fmt(performance.now() - started)}`);

  const cliTree = bench(process.execPath, [BIN, "scan", tree, "--format", "json", "--fail-on", "none", "--no-progress"]);
  const treeStats = cliFindings(cliTree.stdout);
  const rgTree = rg ? bench("rg", ["--no-config", "--count", "-e", GITLEAKS_STRIPE, tree]) : undefined;
  report(
    `Directory tree: ${FILES} files, ${(generated.bytes / 1e6).toFixed(0)} MB`,
    cliTree,
    rgTree,
    `${treeStats.findings} findings in ${treeStats.files} files, ${treeStats.skipped} skipped; ${((treeStats.bytes / 1e6) / (cliTree.ms / 1000)).toFixed(0)} MB/s`,
  );

  rmSync(tree, { recursive: true, force: true });
  const repo = join(work, "repo");
  started = performance.now();
  const history = generateHistory(repo);
  const logBytes = Number(execFileSync("bash", ["-c", `git -C '${repo}' log -p --all | wc -c`]).toString().trim());
  console.log(`generated ${history.commits} commits, ${history.planted} planted keys, git log -p is ${(logBytes / 1e6).toFixed(0)} MB, in ${fmt(performance.now() - started)}`);

  const cliHistory = bench(process.execPath, [BIN, "scan", "--history", repo, "--format", "json", "--fail-on", "none", "--no-progress"]);
  const historyStats = cliFindings(cliHistory.stdout);
  const rgHistory = rg
    ? bench("bash", ["-c", `set -o pipefail; git -C '${repo}' log -p --all | rg --no-config --count -e '${GITLEAKS_STRIPE.replace(/'/g, `'\\''`)}' || test $? = 1`])
    : undefined;
  report(
    `Git history: ${history.commits} commits (git log -p --all: ${(logBytes / 1e6).toFixed(0)} MB)`,
    cliHistory,
    rgHistory,
    `${historyStats.findings} findings in ${historyStats.commits} commits, ${historyStats.files} file diffs`,
  );
  console.log(`load average at end: ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
