import { spawn } from "node:child_process";
import { CliError } from "./errors.js";

/*
 * The one place the CLI runs git. Settings that would change the shape of
 * diff output (prefixes, quoting, external diff tools, colours, signatures)
 * are pinned so the parsers see plain unified diffs.
 */
export const GIT_PINNED_CONFIG = [
  "-c", "core.quotepath=off",
  "-c", "diff.noprefix=false",
  "-c", "diff.mnemonicPrefix=false",
  "-c", "log.showSignature=false",
  "-c", "color.ui=false",
];

export const DIFF_FLAGS = ["-U0", "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/"];

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

export function gitArgs(repo: string, args: readonly string[]): string[] {
  return ["-C", repo, ...GIT_PINNED_CONFIG, ...args];
}

export function missingGit(error: unknown): CliError | undefined {
  if ((error as NodeJS.ErrnoException).code === "ENOENT") return new CliError("git is not installed or not on PATH");
  return undefined;
}

/** Runs git to completion, buffering its output (small outputs only: rev-parse, diff --cached). */
export function runGit(repo: string, args: readonly string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", gitArgs(repo, args), { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => reject(missingGit(error) ?? error));
    child.on("close", (code) => resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8").trim(), code: code ?? 1 }));
  });
}

/** git's own message, first line, without the "fatal: " prefix. */
export function gitMessage(stderr: string): string {
  const line = stderr.split("\n").find((l) => l.trim() !== "") ?? "git failed";
  return line.replace(/^(fatal|error): /, "");
}

/**
 * The repository's top directory (its git directory when it is bare); a clear
 * error when `dir` is not inside a git repository.
 */
export async function gitToplevel(dir: string, shownAs: string): Promise<string> {
  const gitDir = await runGit(dir, ["rev-parse", "--absolute-git-dir"]);
  if (gitDir.code !== 0) {
    if (/not a git repository/i.test(gitDir.stderr)) throw new CliError(`${shownAs} is not a git repository`);
    if (/cannot change to|No such file/i.test(gitDir.stderr)) throw new CliError(`no such directory: ${shownAs}`);
    throw new CliError(`${shownAs}: ${gitMessage(gitDir.stderr)}`);
  }
  const top = await runGit(dir, ["rev-parse", "--show-toplevel"]);
  const path = (top.code === 0 ? top.stdout : gitDir.stdout).toString("utf8").trim();
  return path;
}
