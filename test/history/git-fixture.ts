/**
 * Small git repositories built at runtime for the history tests: commits
 * with fixed dates, so "the commit that introduced the key" is known.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface GitFixture {
  dir: string;
  git(...args: string[]): string;
  /** Writes (or, with null, deletes) files and commits them with this date; returns the sha. */
  commit(date: string, files: Record<string, string | Buffer | null>, message?: string): string;
  remove(): void;
}

export function createGitFixture(): GitFixture {
  const dir = mkdtempSync(join(tmpdir(), "slg-history-src-"));
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    execFileSync("git", ["-C", dir, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] }).toString().trim();
  run(["init", "-q", "-b", "main"]);
  run(["config", "user.name", "Dev Eloper"]);
  run(["config", "user.email", "dev@example.com"]);
  run(["config", "commit.gpgsign", "false"]);
  return {
    dir,
    git: (...args) => run(args),
    commit(date, files, message = `change at ${date}`) {
      for (const [path, content] of Object.entries(files)) {
        const full = join(dir, path);
        if (content === null) {
          run(["rm", "-q", "--", path]);
          continue;
        }
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
        run(["add", "--", path]);
      }
      run(["commit", "-q", "-m", message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
      return run(["rev-parse", "HEAD"]);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
