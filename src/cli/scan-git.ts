import { spawn } from "node:child_process";
import type { CommitInfo } from "../scanner/index.js";
import { CliError } from "./errors.js";
import { DIFF_FLAGS, gitArgs, gitMessage, missingGit, runGit } from "./git.js";
import { GitLogSplitter, LOG_FORMAT } from "./git-log-splitter.js";
import type { Progress } from "./progress.js";
import type { ScanTally } from "./report.js";
import { scanDiffText } from "./scan-diff.js";

export interface GitScanContext {
  repo: string;
  pepper: string;
  skipPath: (path: string) => boolean;
  tally: ScanTally;
  progress: Progress;
}

/** What `--git <range>` and `--history` hand to git log / rev-list. */
export function revisionArgs(input: { mode: "git"; range: string } | { mode: "history" }): string[] {
  return input.mode === "history" ? ["--all"] : [input.range];
}

/** A user's range is only ever a revision: after --end-of-options, git cannot read it as an option. */
function endOfOptions(revisions: readonly string[]): string[] {
  return revisions[0] === "--all" ? ["--all"] : ["--end-of-options", ...revisions];
}

async function countCommits(repo: string, revisions: readonly string[]): Promise<number | undefined> {
  const result = await runGit(repo, ["rev-list", "--count", ...endOfOptions(revisions), "--"]);
  if (result.code !== 0) return undefined;
  const count = Number(result.stdout.toString("utf8").trim());
  return Number.isFinite(count) ? count : undefined;
}

/**
 * Scans the lines each commit adds, streaming `git log -p` so a history of
 * any size is held one commit (or one 8 MiB slice of a commit) at a time.
 * Merge commits show no diff of their own, as in `git log -p`.
 */
export async function scanGitLog(revisions: readonly string[], ctx: GitScanContext, showProgress: boolean): Promise<void> {
  const total = showProgress ? await countCommits(ctx.repo, revisions) : undefined;
  const { tally, progress } = ctx;
  let current: CommitInfo | undefined;
  const splitter = new GitLogSplitter({
    commit(info) {
      current = info;
    },
    diff(text) {
      const diffCtx = { pepper: ctx.pepper, skipPath: ctx.skipPath, tally };
      scanDiffText(text.toString("utf8"), current ? { ...diffCtx, commit: current } : diffCtx);
    },
    commitEnd() {
      tally.commits++;
      progress.update(tally.commits, total, "commits", current?.sha.slice(0, 12));
    },
  });

  const args = gitArgs(ctx.repo, ["log", "-p", ...DIFF_FLAGS, LOG_FORMAT, ...endOfOptions(revisions), "--"]);
  const child = spawn("git", args, { stdio: ["ignore", "pipe", "pipe"] });
  const stderr: Buffer[] = [];
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  const exited = new Promise<number>((resolve, reject) => {
    child.on("error", (error) => reject(missingGit(error) ?? error));
    child.on("close", (code) => resolve(code ?? 1));
  });

  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      tally.bytes += chunk.length;
      splitter.feed(chunk);
    }
  } catch (error) {
    child.kill();
    throw error;
  }
  const code = await exited;
  if (code !== 0) {
    const message = gitMessage(Buffer.concat(stderr).toString("utf8"));
    if (revisions[0] !== "--all" && /unknown revision|bad revision|ambiguous argument|invalid/i.test(message)) {
      throw new CliError(`bad revision range "${revisions.join(" ")}": ${message}`);
    }
    throw new CliError(`git log failed: ${message}`);
  }
  splitter.end();
}

/** `--staged`: the lines `git commit` would add now. */
export async function scanStaged(ctx: GitScanContext): Promise<void> {
  const result = await runGit(ctx.repo, ["diff", "--cached", ...DIFF_FLAGS]);
  if (result.code !== 0) throw new CliError(`git diff --cached failed: ${gitMessage(result.stderr)}`);
  ctx.tally.bytes += result.stdout.length;
  scanDiffText(result.stdout.toString("utf8"), { pepper: ctx.pepper, skipPath: ctx.skipPath, tally: ctx.tally });
}
