/*
 * Runs the real CLI in-process (runCli/runScan) against temp directories and
 * temp git repositories made at runtime, capturing stdout, stderr and the
 * exit code. Nothing here holds a key-shaped literal.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { runCli } from "../../src/bin/cli.js";
import { runScan } from "../../src/cli/scan-command.js";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  stdin?: string;
  env?: Record<string, string | undefined>;
  tty?: boolean;
}

function sink(tty: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY: tty, columns: 100, write: (chunk: string) => chunks.push(chunk) } };
}

export async function scan(argv: string[], options: RunOptions): Promise<RunResult> {
  const out = sink(false);
  const err = sink(options.tty ?? false);
  const code = await runScan(argv, {
    cwd: options.cwd,
    env: options.env ?? {},
    stdin: Readable.from([Buffer.from(options.stdin ?? "")]),
    stdout: out.stream,
    stderr: err.stream,
  });
  return { code, stdout: out.chunks.join(""), stderr: err.chunks.join("") };
}

export async function cli(argv: string[]): Promise<RunResult> {
  const out = sink(false);
  const err = sink(false);
  const code = await runCli(argv, { cwd: process.cwd(), env: {}, stdin: Readable.from([]), stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.chunks.join(""), stderr: err.chunks.join("") };
}

export function tempDir(prefix = "slg-cli-"): { dir: string; put: (path: string, content: string | Buffer) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    put(path, content) {
      const abs = join(dir, path);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
      return abs;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** git in a temp repo, with a fixed identity and no user or system config. */
export function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync("git", ["-c", "user.name=Test Author", "-c", "user.email=author@example.com", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", ...env },
  });
}

export function commitAll(cwd: string, message: string, date: string): string {
  git(cwd, ["add", "-A"]);
  git(cwd, ["commit", "-q", "-m", message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  return git(cwd, ["rev-parse", "HEAD"]).trim();
}

export interface JsonReport {
  findings: Array<{
    ruleId: string;
    path: string;
    line: number;
    column: number;
    endColumn: number;
    kind: string;
    mode: string;
    severity: string;
    redacted: string;
    fingerprint: string;
    note?: string;
    encoding?: string;
    binary?: true;
    commit?: { sha: string; author: string; email?: string; date: string };
    allowed?: { reason: string };
  }>;
  stats: { files: number; bytes: number; commits: number; skipped: number; durationMs: number };
  skipped: Array<{ path: string; reason: string }>;
}

export function parseJson(result: RunResult): JsonReport {
  return JSON.parse(result.stdout) as JsonReport;
}
