/*
 * The comment that shows a verification verdict on the incident issue. Its
 * hidden marker carries the verdict and the request, so a redelivered check
 * does not comment twice.
 */
import { createHash } from "node:crypto";
import type { VerificationVerdict } from "../render/types.js";
import { dashboardUrl } from "../render/links.js";
import type { Mode, Severity } from "../scanner/index.js";

const MARKER = /<!-- stripe-leak-guard:verification ([a-z-]+) ([0-9a-f]{16}) -->/g;

export function verificationMarker(verdict: VerificationVerdict, requestId: string): string {
  const digest = createHash("sha256").update(requestId, "utf8").digest("hex").slice(0, 16);
  return `<!-- stripe-leak-guard:verification ${verdict} ${digest} -->`;
}

/** The verdict last recorded for this request on the issue, if any. */
export function recordedVerdictFor(bodies: readonly string[], requestId: string): VerificationVerdict | undefined {
  const digest = createHash("sha256").update(requestId, "utf8").digest("hex").slice(0, 16);
  let found: VerificationVerdict | undefined;
  for (const body of bodies) {
    for (const match of body.matchAll(MARKER)) if (match[2] === digest) found = match[1] as VerificationVerdict;
  }
  return found;
}

export interface VerdictCommentInput {
  verdict: VerificationVerdict;
  reason: string;
  mode: Mode;
  severity: Severity;
  requestId: string;
  /** "after-rotation" words the inactive case as the confirmation it is. */
  context: "scan" | "command" | "after-rotation" | "scheduled";
  requestedBy?: string;
  /** Set when the App is about to close the issue because of this verdict. */
  closing?: boolean;
  /** True when the App will check again later (an answer that proves nothing). */
  willRetry?: boolean;
}

export function renderVerdictComment(input: VerdictCommentInput): string {
  const keys = dashboardUrl(input.mode, "apikeys");
  const logs = dashboardUrl(input.mode, "logs");
  const lines: string[] = [];
  switch (input.verdict) {
    case "active":
      lines.push(`### 🔴 Stripe says this key is active`, "", `${input.reason}. Anyone who copied it can use it. [Roll it now](${keys}), then check the [request logs](${logs}) for calls you do not recognise.`);
      break;
    case "active-restricted":
      lines.push(
        `### 🟠 Stripe says this restricted key is active`,
        "",
        `${input.reason}. What it can do depends on its permissions. [Roll it](${keys}), then check the [request logs](${logs}).`,
      );
      break;
    case "inactive":
      lines.push(
        input.context === "after-rotation" ? `### ✅ Stripe confirms the key is no longer accepted` : `### ⚪ Stripe says this key is inactive`,
        "",
        `${input.reason}. It can no longer call the API; it still sits in the repository's history, so finish the runbook's clean-up steps.`,
      );
      if (input.closing) lines.push("", "Closing this incident, as the repository's config asks (`incidents.closeWhenInactive: true`).");
      break;
    case "unknown":
      lines.push(
        `### ❔ Stripe could not confirm this key's state`,
        "",
        `${input.reason}. This proves nothing either way: treat the key as live.${input.willRetry ? " The App will check again later." : ""}`,
      );
      break;
  }
  if (input.verdict === "active" || input.verdict === "active-restricted") {
    lines.push("", "The App's check was one `GET /v1/balance`; in the request logs it carries the user agent `stripe-leak-guard`.");
  }
  lines.push("", `Severity: **${input.severity}**.`);
  if (input.requestedBy) lines.push("", `Checked because @${input.requestedBy} asked with \`/stripe-leak-guard verify\`.`);
  lines.push("", verificationMarker(input.verdict, input.requestId));
  return lines.join("\n");
}

export function renderNotVerifiable(kindName: string, requestId: string): string {
  return (
    `A ${kindName} cannot be checked with Stripe's API (it does not authenticate API calls), so there is no verdict. ` +
    `Follow the runbook above.\n\n${verificationMarker("unknown", requestId)}`
  );
}
