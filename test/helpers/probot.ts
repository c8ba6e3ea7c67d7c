/**
 * A Probot for nock tests, built the way create-probot-app's template does it:
 * a real App id and private key (generated per run, never committed), retry
 * and throttle off so every mocked response is seen exactly once, and a
 * pino logger at trace level whose every line is kept for canary checks.
 * `realistic: true` keeps retry and throttle on, with waits shrunk.
 */
import { generateKeyPairSync } from "node:crypto";
import { Writable } from "node:stream";
import { pino, type Logger } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { createApp } from "../../src/app.js";
import { AppOctokit } from "../../src/github/octokit.js";
import type { Dispatcher } from "../../src/jobs/types.js";
import type { KeyedLock } from "../../src/lock/keyed-lock.js";

export const TEST_PEPPER = "app-tests-pepper-0123456789abcdef";
export const APP_ID = 1;

let privateKey: string | undefined;

/** One RSA key per test run: Probot signs its App JWT with it; the fake GitHub never checks it. */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return privateKey;
}

export interface CapturedLog {
  log: Logger;
  lines: string[];
}

export function captureLog(level: pino.Level = "trace"): CapturedLog {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  return { log: pino({ level }, stream), lines };
}

type AnyOptions = Record<string, unknown>;

/** Retry and throttle forced off; a defaults function, since Probot layers its own throttle options over plain defaults. */
const QuietOctokit = ProbotOctokit.defaults((options: AnyOptions) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

/** The production class (secondary limits retried) with plugin-retry's and the throttle's waits shrunk to milliseconds. */
const FastRealisticOctokit = AppOctokit.defaults((options: AnyOptions & { throttle?: AnyOptions }) => ({
  ...options,
  retry: { enabled: true, retryAfterBaseValue: 1 },
  throttle: { ...options.throttle, enabled: true, retryAfterBaseValue: 1, fallbackSecondaryRateRetryAfter: 1, minimumSecondaryRateRetryAfter: 0 },
}));

export interface TestProbotOptions {
  dispatcher?: Dispatcher;
  lock?: KeyedLock;
  log?: Logger;
  baseUrl?: string;
  realistic?: boolean;
}

export async function testProbot(options: TestProbotOptions = {}): Promise<{ probot: Probot; log: CapturedLog }> {
  const captured = options.log ? { log: options.log, lines: [] } : captureLog();
  const probot = new Probot({
    appId: APP_ID,
    privateKey: testPrivateKey(),
    Octokit: (options.realistic ? FastRealisticOctokit : QuietOctokit) as typeof ProbotOctokit,
    log: captured.log,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  });
  await probot.load(
    createApp({
      pepper: TEST_PEPPER,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      ...(options.lock ? { lock: options.lock } : {}),
    }),
  );
  return { probot, log: captured };
}
