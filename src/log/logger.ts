import { pino, stdSerializers, symbols } from "pino";
import type { DestinationStream, Level, Logger, LoggerOptions } from "pino";
import { redactDeep } from "./redact-deep.js";
import { scrubString } from "./scrub.js";

/*
 * Three layers, because pino's path-based `redact` only knows fixed paths and
 * a key can hide anywhere (a commit message inside an error's webhook payload,
 * an interpolated argument, a child binding):
 *   1. hooks.logMethod scrubs the message and every interpolation argument;
 *   2. formatters.log / formatters.bindings / serializers.err copy the object
 *      with every key-shaped string replaced (errors included); child
 *      bindings skip the bindings formatter, so onChild scrubs their JSON;
 *   3. hooks.streamWrite scrubs the finished JSON line, whatever got through.
 */

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface CreateLoggerOptions {
  /** Defaults to "info". Use `logLevelFrom(process.env.LOG_LEVEL)` at entry points. */
  level?: LogLevel;
  /** Where lines go; default stdout. Tests pass a capturing stream. */
  destination?: DestinationStream;
  /** Fields on every line, e.g. { name: "worker" }. */
  base?: Record<string, unknown>;
}

export class LogLevelError extends Error {
  override name = "LogLevelError";
}

/** Reads LOG_LEVEL; unset or empty means "info", anything unknown is a clear error. */
export function logLevelFrom(value: string | undefined): LogLevel {
  if (value === undefined || value.trim() === "") return "info";
  const level = value.trim().toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  throw new LogLevelError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (got "${value}")`);
}

function redactRecord(value: Record<string, unknown>): Record<string, unknown> {
  return redactDeep(value) as Record<string, unknown>;
}

/** pino takes an error's raw message as the line's msg when none is given; give it the scrubbed one. */
function withScrubbedErrorMessage(args: unknown[]): unknown[] {
  const [first, second] = args;
  if (typeof second === "string" || first === null || typeof first !== "object") return args;
  const fields = first as { err?: unknown; msg?: unknown };
  const error = first instanceof Error ? first : fields.msg === undefined ? fields.err : undefined;
  if (!(error instanceof Error)) return args;
  return [first, scrubString(String(error.message ?? "")), ...args.slice(1)];
}

function serializeError(value: unknown): unknown {
  return redactDeep(value instanceof Error ? stdSerializers.err(value) : value);
}

export function loggerOptions(options: CreateLoggerOptions = {}): LoggerOptions {
  return {
    level: options.level ?? "info",
    base: options.base ? redactRecord(options.base) : { pid: process.pid },
    serializers: { err: serializeError, error: serializeError },
    formatters: {
      log: redactRecord,
      bindings: redactRecord,
    },
    onChild(child) {
      const holder = child as unknown as Record<symbol, unknown>;
      const chindings = holder[symbols.chindingsSym];
      if (typeof chindings === "string") holder[symbols.chindingsSym] = scrubString(chindings);
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = withScrubbedErrorMessage(args).map((arg, index) =>
          typeof arg === "string" ? scrubString(arg) : index === 0 ? arg : redactDeep(arg),
        );
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
      streamWrite: scrubString,
    },
  };
}

/** The app's logger: JSON lines, key-shaped text scrubbed at every layer. Probot takes it as `log`. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const settings = loggerOptions(options);
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

export type { Level, Logger };
