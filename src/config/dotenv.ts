/*
 * The App's commands read a `.env` file in the working directory, as Probot's
 * own `run` does: the setup flow writes APP_ID, PRIVATE_KEY and
 * WEBHOOK_SECRET there, and the next `npm start` must find them. Unlike
 * Probot, a variable already set in the environment wins over the file, so
 * an operator's deployment settings are never overridden by a stray file.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

export class DotEnvError extends Error {
  override name = "DotEnvError";
}

/** Fills unset variables from `<cwd>/.env`; returns the names it set. A missing file is not an error. */
export function applyDotEnv(env: Record<string, string | undefined>, cwd: string): string[] {
  const path = join(cwd, ".env");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new DotEnvError(`${path} could not be read: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
  const applied: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (env[name] !== undefined) continue;
    env[name] = value;
    applied.push(name);
  }
  return applied;
}
