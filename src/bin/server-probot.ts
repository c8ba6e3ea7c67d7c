/*
 * `npm start`: the App in one process, served by Probot. Without APP_ID and
 * PRIVATE_KEY, Probot serves its setup page instead, which registers the App
 * from app.yml and writes the credentials to .env. GHE_HOST / GHE_PROTOCOL
 * point it at GitHub Enterprise Server, as in any Probot app.
 */
import { run } from "probot";
import app from "../app.js";
import { AppOctokit } from "../github/octokit.js";
import { createLogger, logLevelFrom } from "../log/index.js";

export async function startProbotServer(): Promise<void> {
  const log = createLogger({ level: logLevelFrom(process.env.LOG_LEVEL), base: { name: "stripe-leak-guard" } });
  await run(app, { Octokit: AppOctokit, log });
}

/** CLI subcommand form: runs until the process is stopped. */
export async function runServer(_argv: string[]): Promise<number> {
  await startProbotServer();
  return new Promise<number>(() => undefined);
}
