/*
 * Reading what a handler answered. The handler is the operator's code, but
 * its message still goes into a public issue comment: it is shortened and
 * scrubbed of anything key-shaped (a handler that echoes the key must not
 * publish it).
 */
import { z } from "zod";
import { scrubString } from "../log/index.js";
import type { CallOutcome } from "./types.js";

const MAX_MESSAGE = 1000;

const answerSchema = z.object({
  status: z.enum(["rotated", "pending", "failed"]),
  message: z.string().optional(),
});

export const EXPECTED_ANSWER = '{"status": "rotated" | "pending" | "failed", "message": "…"}';

export function parseAnswer(value: unknown, what: string): CallOutcome {
  const parsed = answerSchema.safeParse(value);
  if (!parsed.success) return { type: "refused", reason: `${what}, but not with ${EXPECTED_ANSWER}` };
  return { type: "answered", status: parsed.data.status, message: safeText(parsed.data.message ?? "") };
}

/** Handler-supplied text made fit for a public comment. */
export function safeText(text: string, max = MAX_MESSAGE): string {
  // Control characters (other than tab and newline) could hide text in the rendered comment.
  const printable = [...text].filter((char) => char === "\t" || char === "\n" || (char >= " " && char !== "\u007f")).join("");
  const scrubbed = scrubString(printable).trim();
  return scrubbed.length > max ? `${scrubbed.slice(0, max)}…` : scrubbed;
}

/** An error's name and code only: its message may echo anything, including a request body. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return "a non-Error value";
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? `${error.name} (${code})` : error.name;
}
