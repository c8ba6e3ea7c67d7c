/*
 * A bare clone with the installation token, into a fresh temporary
 * directory. The token travels only in git's environment, as an
 * http.extraHeader set through GIT_CONFIG_COUNT/KEY/VALUE: never in the URL
 * (which git stores in the clone's config), never in argv (which `ps` and
 * logs show), never on disk. Credential helpers are switched off so none can
 * store it, and git's tracing variables are dropped so none can print it.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface CloneRequest {
  url: string;
  /** Installation token; absent for a local path or file:// URL (tests, benchmarks). */
  token?: string;
  /** Where the temporary directory goes (default: the OS temp dir). */
  parentDir?: string;
  /** A clone running longer than this is killed (default 30 minutes). */
  timeoutMs?: number;
}

export interface Clone {
  /** The temporary directory that holds the clone; remove it with removeClone. */
  root: string;
  /** The bare repository (git -C <gitDir> ...). */
  gitDir: string;
}

export class CloneError extends Error {
  override name = "CloneError";
}

/** Environment variables that make git print requests, headers included. */
const TRACE_VARIABLES = /^GIT_(TRACE|CURL_VERBOSE|TRACE_CURL|TRACE_PACKET|TRACE2|TRACE_SETUP)/;

export function cloneEnvironment(base: NodeJS.ProcessEnv, token: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (TRACE_VARIABLES.test(name) || name.startsWith("GIT_CONFIG_")) continue;
    env[name] = value;
  }
  env.GIT_TERMINAL_PROMPT = "0";
  env.GCM_INTERACTIVE = "never";
  const config: Array<[string, string]> = [["credential.helper", ""]];
  if (token !== undefined) {
    // GitHub's git endpoint takes the token as the password of Basic auth, as actions/checkout sends it.
    config.push(["http.extraHeader", `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`]);
  }
  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/** Blanks the token (plain and in its Basic form) out of text that may reach a log or a comment. */
export function scrubToken(text: string, token: string | undefined): string {
  if (!token) return text;
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return text.split(token).join("***").split(basic).join("***");
}

export async function bareClone(request: CloneRequest): Promise<Clone> {
  const root = await mkdtemp(join(request.parentDir ?? tmpdir(), "slg-history-"));
  const gitDir = join(root, "repo.git");
  try {
    await runClone(request, gitDir);
  } catch (error) {
    await removeClone({ root });
    throw error;
  }
  return { root, gitDir };
}

function runClone(request: CloneRequest, gitDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["clone", "--bare", "--quiet", "--", request.url, gitDir], {
      env: cloneEnvironment(process.env, request.token),
      stdio: ["ignore", "ignore", "pipe"],
    });
    const stderr: Buffer[] = [];
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), request.timeoutMs ?? 30 * 60_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new CloneError((error as NodeJS.ErrnoException).code === "ENOENT" ? "git is not installed or not on PATH" : "could not start git"));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const message = Buffer.concat(stderr).toString("utf8").split("\n").find((line) => line.trim() !== "") ?? `git exited with ${code ?? signal}`;
      reject(new CloneError(`git clone failed: ${scrubToken(message.replace(/^(fatal|error): /, ""), request.token).slice(0, 300)}`));
    });
  });
}

/** Removes the clone's directory; never throws (a failed cleanup is logged by the caller's finally, not fatal). */
export async function removeClone(clone: Pick<Clone, "root">): Promise<void> {
  await rm(clone.root, { recursive: true, force: true, maxRetries: 3 });
}
