/*
 * A rotation handler that is a module in the worker's own process
 * (ROTATION_HANDLER_MODULE): `export async function rotate(request)` that
 * returns {status, message}. A throw or a missed deadline is worth retrying;
 * a missing export or a malformed answer is not.
 */
import { basename, resolve as resolvePath } from "node:path";
import { pathToFileURL } from "node:url";
import { describeError, parseAnswer, safeText } from "./answer.js";
import { DEFAULT_HANDLER_TIMEOUT_MS, formatDuration } from "./https-handler.js";
import type { CallOutcome, RotationHandler, RotationRequest } from "./types.js";

type RotateFunction = (request: RotationRequest) => unknown;

export interface ModuleHandlerOptions {
  path: string;
  timeoutMs?: number;
}

export function createModuleHandler(options: ModuleHandlerOptions): RotationHandler {
  const description = `module ${basename(options.path)}`;
  let loaded: Promise<RotateFunction | string> | undefined;
  const load = () => (loaded ??= loadRotate(options.path));
  return {
    description,
    async call(request) {
      const rotate = await load();
      if (typeof rotate === "string") {
        loaded = undefined;
        return { type: "refused", reason: rotate };
      }
      return callWithDeadline(rotate, request, description, options.timeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS);
    },
  };
}

async function loadRotate(path: string): Promise<RotateFunction | string> {
  let module: { rotate?: unknown; default?: { rotate?: unknown } };
  try {
    module = (await import(pathToFileURL(resolvePath(path)).href)) as typeof module;
  } catch (error) {
    return `ROTATION_HANDLER_MODULE ${basename(path)} could not be loaded: ${describeError(error)}`;
  }
  const rotate = module.rotate ?? module.default?.rotate;
  if (typeof rotate !== "function") return `ROTATION_HANDLER_MODULE ${basename(path)} does not export a rotate(request) function`;
  return rotate as RotateFunction;
}

async function callWithDeadline(rotate: RotateFunction, request: RotationRequest, description: string, timeoutMs: number): Promise<CallOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<CallOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ type: "retry", reason: `${description} did not answer within ${formatDuration(timeoutMs)}` }), timeoutMs);
  });
  // A copy, so a handler that mutates its argument cannot change what we record.
  const attempt = Promise.resolve()
    .then(() => rotate(structuredClone(request)))
    .then(
      (answer) => parseAnswer(answer, `${description} returned`),
      (error: unknown): CallOutcome => ({ type: "retry", reason: `${description} threw ${describeError(error)}${thrownMessage(error)}` }),
    );
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function thrownMessage(error: unknown): string {
  const message = error instanceof Error ? safeText(error.message, 300) : "";
  return message ? `: ${message}` : "";
}
