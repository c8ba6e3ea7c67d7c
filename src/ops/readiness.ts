import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";

/*
 * Readiness: can this process do its job right now? Liveness (/healthz) only
 * says the event loop answers; readiness (/readyz) also asks Redis and checks
 * that the GitHub App credentials are there and parse, so an orchestrator
 * keeps traffic away from an instance that would only fail.
 */

export interface ReadinessCheck {
  name: string;
  /** Resolves when healthy; rejects with a short, secret-free reason otherwise. */
  run(): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

const CHECK_TIMEOUT_MS = 2_000;

export async function runReadiness(checks: readonly ReadinessCheck[], timeoutMs = CHECK_TIMEOUT_MS): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (check) => {
      try {
        await withTimeout(check.run(), timeoutMs, `${check.name} check timed out after ${timeoutMs} ms`);
        return [check.name, { ok: true }] as const;
      } catch (error) {
        return [check.name, { ok: false, error: error instanceof Error ? error.message : String(error) }] as const;
      }
    }),
  );
  return { ready: results.every(([, result]) => result.ok), checks: Object.fromEntries(results) };
}

async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What the Redis check needs; an ioredis client satisfies it. */
export interface Pingable {
  ping(): Promise<string>;
  /** ioredis' connection state; "ready" once commands can be sent. */
  status?: string;
}

/** States in which ioredis is still opening the connection (as at startup) rather than failing. */
const OPENING = new Set(["wait", "connecting", "connect"]);
const OPENING_GRACE_MS = 1_500;

export function redisCheck(client: Pingable): ReadinessCheck {
  return {
    name: "redis",
    async run() {
      // A fail-fast client refuses commands until connected; a probe right after startup should wait for that, briefly.
      const until = Date.now() + OPENING_GRACE_MS;
      while (client.status !== undefined && OPENING.has(client.status) && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const reply = await client.ping();
      if (reply !== "PONG") throw new Error(`unexpected PING reply ${JSON.stringify(reply)}`);
    },
  };
}

export interface GitHubCredentialsEnv {
  APP_ID?: string | undefined;
  PRIVATE_KEY?: string | undefined;
  PRIVATE_KEY_PATH?: string | undefined;
}

/** The same forms Probot accepts: PEM text (with real or escaped newlines), base64 of the PEM, or a file path. */
export function loadPrivateKey(env: GitHubCredentialsEnv): string {
  let text = env.PRIVATE_KEY;
  if (!text && env.PRIVATE_KEY_PATH) text = readFileSync(env.PRIVATE_KEY_PATH, "utf8");
  if (!text) throw new Error("no private key: set PRIVATE_KEY or PRIVATE_KEY_PATH");
  text = text.replace(/\\n/g, "\n");
  if (!text.includes("-----BEGIN")) text = Buffer.from(text, "base64").toString("utf8");
  return text;
}

/** Credentials are "loaded" when APP_ID is a number and the private key parses as a private key. */
export function githubCredentialsCheck(env: GitHubCredentialsEnv): ReadinessCheck {
  return {
    name: "github",
    async run() {
      if (!env.APP_ID || !/^\d+$/.test(env.APP_ID.trim())) throw new Error("APP_ID is missing or not a number");
      let pem: string;
      try {
        pem = loadPrivateKey(env);
      } catch (error) {
        throw new Error(`private key unreadable: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      try {
        createPrivateKey(pem);
      } catch {
        throw new Error("the private key does not parse as a PEM private key");
      }
    },
  };
}
