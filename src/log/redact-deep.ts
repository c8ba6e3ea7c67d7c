import { scrubString } from "./scrub.js";

/*
 * Structural scrubbing: returns a copy of any value with every key-shaped
 * string replaced, at any depth, in keys as well as values. The input is never
 * mutated (handlers still need the real payload). Errors become plain objects
 * shaped like pino's err serializer output, so the same walk covers their
 * message, stack, cause and every enumerable property.
 */

const MAX_DEPTH = 24;

/** Properties that hold a whole webhook payload (@octokit/webhooks puts it on errors as `event`). */
const PAYLOAD_PROPERTIES = new Set(["event"]);

export function redactDeep(value: unknown): unknown {
  return walk(value, 0, new WeakMap<object, unknown>());
}

function walk(value: unknown, depth: number, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === "string") return scrubString(value);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (value instanceof Date) return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[binary ${value.byteLength} bytes]`;
  if (value instanceof Error) return walkError(value, depth, seen);

  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(walk(item, depth + 1, seen));
    seen.delete(value);
    return out;
  }
  if (value instanceof Map) return walk(Object.fromEntries(value), depth, seen);
  if (value instanceof Set) return walk([...value], depth, seen);

  const withToJSON = value as { toJSON?: unknown };
  if (typeof withToJSON.toJSON === "function") {
    return walk((withToJSON.toJSON as () => unknown).call(value), depth + 1, seen);
  }

  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [key, item] of Object.entries(value)) out[scrubString(key)] = walk(item, depth + 1, seen);
  seen.delete(value);
  return out;
}

interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  [key: string]: unknown;
}

function walkError(error: Error, depth: number, seen: WeakMap<object, unknown>): SerializedError {
  const out: SerializedError = { type: error.constructor?.name ?? error.name, message: "" };
  seen.set(error, out);
  out.message = scrubString(String(error.message ?? ""));
  if (typeof error.stack === "string") out.stack = scrubString(error.stack);
  for (const [key, item] of Object.entries(error)) {
    if (key === "message" || key === "stack") continue;
    out[scrubString(key)] = PAYLOAD_PROPERTIES.has(key) ? summarizeEvent(item) : walk(item, depth + 1, seen);
  }
  if (error.cause !== undefined) out.cause = walk(error.cause, depth + 1, seen);
  if (error instanceof AggregateError) out.errors = walk(error.errors, depth + 1, seen);
  seen.delete(error);
  return out;
}

/** Keeps what identifies a webhook event and drops its payload: smaller lines, nothing to leak. */
function summarizeEvent(event: unknown): unknown {
  if (event === null || typeof event !== "object") return walk(event, 0, new WeakMap());
  const { id, name, payload } = event as { id?: unknown; name?: unknown; payload?: unknown };
  const body = (payload ?? {}) as {
    action?: unknown;
    installation?: { id?: unknown };
    repository?: { full_name?: unknown };
  };
  return redactDeep({
    id,
    name,
    action: body.action,
    installation: body.installation?.id,
    repo: body.repository?.full_name,
    payload: "[omitted]",
  });
}
