/*
 * The rotation comments on an incident issue, each ending in a hidden marker
 * that records the rotation state for this incident. Those markers are the
 * only record of "already rotated": a redelivered or concurrent request reads
 * them (under the per-incident lock) before calling the handler.
 */
import { createHash } from "node:crypto";
import type { LabelSpec } from "../github/labels.js";
import { dashboardUrl } from "../render/links.js";
import type { Mode } from "../scanner/index.js";
import type { RotationStatus } from "./types.js";

export type RotationState = RotationStatus | "refused" | "retrying" | "dry-run";

const MARKER = /<!-- stripe-leak-guard:rotation ([a-z-]+) ([0-9a-f]{16}) -->/g;

export function requestDigest(requestId: string): string {
  return createHash("sha256").update(requestId, "utf8").digest("hex").slice(0, 16);
}

export function rotationMarker(state: RotationState, requestId: string): string {
  return `<!-- stripe-leak-guard:rotation ${state} ${requestDigest(requestId)} -->`;
}

export interface RecordedRotation {
  state: RotationState;
  request: string;
}

/** Every rotation marker in the App's comments, oldest first. */
export function parseRotationMarkers(bodies: readonly string[]): RecordedRotation[] {
  const out: RecordedRotation[] = [];
  for (const body of bodies) {
    for (const match of body.matchAll(MARKER)) {
      if (match[1] && match[2]) out.push({ state: match[1] as RotationState, request: match[2] });
    }
  }
  return out;
}

export const ROTATION_LABELS: Record<RotationStatus, LabelSpec> = {
  rotated: { name: "rotation: rotated", color: "0e8a16", description: "The operator's rotation handler reported this key rotated" },
  pending: { name: "rotation: pending", color: "fbca04", description: "The operator's rotation handler accepted the request; not finished yet" },
  failed: { name: "rotation: failed", color: "b60205", description: "Rotating this key through the operator's handler failed: roll it by hand" },
};

export interface CommentContext {
  handler: string;
  requestId: string;
  trigger: "auto" | "command";
  requestedBy?: string;
  mode: Mode;
  idempotencyId: string;
}

function why(context: CommentContext): string {
  return context.trigger === "command" && context.requestedBy
    ? `Requested by @${context.requestedBy} with \`/stripe-leak-guard rotate\`.`
    : "Requested automatically: the operator's AUTO_ROTATE_KINDS includes this kind of key.";
}

function quote(message: string): string {
  if (!message) return "";
  return `\n\n${message
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n")}`;
}

function footer(context: CommentContext, state: RotationState): string {
  return `\n\n<sub>Idempotency id \`${context.idempotencyId}\`.</sub>\n\n${rotationMarker(state, context.requestId)}`;
}

export function renderAnswered(context: CommentContext, status: RotationStatus, message: string, attempts: number): string {
  const tries = attempts > 1 ? ` (after ${attempts} attempts)` : "";
  const keys = dashboardUrl(context.mode, "apikeys");
  const head: Record<RotationStatus, string> = {
    rotated: `### 🔁 Rotation handler: rotated\n\n${context.handler} reported this key **rotated**${tries}.`,
    pending: `### ⏳ Rotation handler: pending\n\n${context.handler} accepted the request${tries} and will finish on its own. Until it does, treat the key as live.`,
    failed: `### ❌ Rotation handler: failed\n\n${context.handler} reported that it **could not rotate** this key${tries}. Roll it by hand in the [Stripe Dashboard](${keys}).`,
  };
  return `${head[status]}${quote(message)}\n\n${why(context)}${footer(context, status)}`;
}

export function renderRefused(context: CommentContext, reason: string): string {
  const keys = dashboardUrl(context.mode, "apikeys");
  return (
    `### ❌ Rotation request failed\n\n${reason}.\n\n` +
    `The App will not retry this on its own. Roll the key by hand in the [Stripe Dashboard](${keys}); ` +
    `once the operator has fixed the handler, comment \`/stripe-leak-guard rotate\` to try again.\n\n${why(context)}` +
    footer(context, "refused")
  );
}

export function renderRetrying(context: CommentContext, reason: string, attempts: number): string {
  return (
    `### ⚠️ Rotation handler unavailable\n\n${attempts === 1 ? "The attempt" : `All ${attempts} attempts`} failed (last: ${reason}). ` +
    `The App will try again later with the same idempotency id, so the handler can recognise the repeat. ` +
    `Meanwhile, consider rolling the key by hand in the [Stripe Dashboard](${dashboardUrl(context.mode, "apikeys")}).\n\n${why(context)}` +
    footer(context, "retrying")
  );
}

export function renderDryRun(context: CommentContext, requestJson: string): string {
  return (
    `### 🧪 Rotation dry run\n\nROTATION_DRY_RUN is set, so nothing was sent. This is the request ${context.handler} would receive:\n\n` +
    `\`\`\`json\n${requestJson}\n\`\`\`\n\n${why(context)}${footer(context, "dry-run")}`
  );
}

export function renderAlreadyRotated(context: CommentContext, state: "rotated" | "pending"): string {
  return (
    `The rotation handler already reported this key **${state}**, so nothing was sent again. ` +
    `If the key is still live, roll it by hand in the [Stripe Dashboard](${dashboardUrl(context.mode, "apikeys")}).` +
    `\n\n${rotationMarker(state, context.requestId)}`
  );
}

export function renderNoHandler(problem: string | undefined): string {
  return problem
    ? `The rotation handler is misconfigured, so nothing was sent: ${problem}. The operator fixes this in the App's environment (see docs/rotation-handlers.md).`
    : "No rotation handler is configured for this App, so there is nothing to call. Roll the key by hand in the Stripe Dashboard, or ask the operator to set ROTATION_HANDLER_URL or ROTATION_HANDLER_MODULE (see docs/rotation-handlers.md).";
}

export function renderKeyUnreadable(reason: string): string {
  return `The rotation request was not sent: ${reason}.`;
}
