/*
 * Sends one alert to one channel and says what came of it. The HTTPS rules
 * are the rotation caller's (src/rotation/https-post.ts); a webhook request is
 * signed exactly like a rotation request (same header, same `t=…,v1=…`
 * scheme) with the channel's own secret, and carries the alert's idempotency
 * id. Reasons name the channel and its origin, never its URL's path.
 */
import { describeError } from "../rotation/answer.js";
import { formatDuration } from "../rotation/https-handler.js";
import { httpsPost, retryAfterMs, TLS_TRUST_CODES, type HttpsPostResult } from "../rotation/https-post.js";
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signBody } from "../rotation/signature.js";
import type { AlertPayload } from "./payload.js";
import type { AlertChannel, AlertSettings } from "./settings.js";
import { renderSlackMessage } from "./slack.js";

export const EVENT_HEADER = "Stripe-Leak-Guard-Event";
const MAX_RETRY_AFTER_MS = 10 * 60_000;

export type DeliveryOutcome =
  | { type: "delivered"; status: number }
  /** 5xx, 408, 429, a timeout or a network error: worth another try later. */
  | { type: "retry"; reason: string; retryAfterMs?: number }
  /** Any other answer or a refused address: trying again would not help. */
  | { type: "refused"; reason: string };

export interface DeliverOptions {
  /** Seconds since the epoch, for the signature; injectable for tests. */
  now?: () => number;
}

/** The exact request a channel gets: body and extra headers. */
export function alertRequest(channel: AlertChannel, payload: AlertPayload, nowSeconds: number): { body: string; headers: Record<string, string> } {
  if (channel.type === "slack") return { body: JSON.stringify(renderSlackMessage(payload)), headers: {} };
  const body = JSON.stringify(payload);
  return {
    body,
    headers: {
      [SIGNATURE_HEADER]: signBody(channel.secret ?? "", body, nowSeconds),
      [IDEMPOTENCY_HEADER]: payload.id,
      [EVENT_HEADER]: payload.type,
    },
  };
}

export async function deliverAlert(
  channel: AlertChannel,
  payload: AlertPayload,
  settings: Pick<AlertSettings, "policy" | "ca" | "timeoutMs">,
  options: DeliverOptions = {},
): Promise<DeliveryOutcome> {
  if (channel.type === "webhook" && !channel.secret) return { type: "refused", reason: `channel "${channel.name}" has no signing secret` };
  const request = alertRequest(channel, payload, Math.floor(options.now?.() ?? Date.now() / 1000));
  const result = await httpsPost({
    url: channel.url,
    body: request.body,
    headers: request.headers,
    policy: settings.policy,
    timeoutMs: settings.timeoutMs,
    ...(settings.ca ? { ca: settings.ca } : {}),
  });
  return classify(result, `channel "${channel.name}" (${channel.origin})`, settings.timeoutMs);
}

function classify(result: HttpsPostResult, who: string, timeoutMs: number): DeliveryOutcome {
  switch (result.type) {
    case "response": {
      const { status } = result;
      if (status >= 200 && status < 300) return { type: "delivered", status };
      const what = `${who} answered HTTP ${status}`;
      if (status >= 300 && status < 400) return { type: "refused", reason: `${what}; alerts do not follow redirects` };
      if (status === 408 || status === 429 || status >= 500) {
        const wait = retryAfterMs(result.headers["retry-after"], MAX_RETRY_AFTER_MS);
        return { type: "retry", reason: what, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
      }
      // Slack answers a short code (invalid_payload, channel_not_found, no_service): worth showing, nothing else is.
      const word = /^"?([a-z_]{3,40})"?$/.exec(result.text.trim())?.[1];
      const code = word ? `: ${word}` : "";
      return { type: "refused", reason: `${what}${code}` };
    }
    case "invalid-url":
      return { type: "refused", reason: `${who} has a URL that cannot be parsed` };
    case "not-https":
      return { type: "refused", reason: `${who} is ${result.protocol}//; alerts are only sent over https://` };
    case "blocked":
      return { type: "refused", reason: `${who}: ${result.reason}` };
    case "timeout":
      return { type: "retry", reason: `${who} did not answer within ${formatDuration(timeoutMs)}` };
    case "network": {
      const code = (result.error as { code?: unknown }).code;
      if (typeof code === "string" && TLS_TRUST_CODES.has(code)) {
        return { type: "refused", reason: `the TLS certificate of ${who} is not trusted (${code}); an internal CA goes in ALERT_CA_FILE` };
      }
      return { type: "retry", reason: `${who} could not be reached: ${describeError(result.error)}` };
    }
  }
}
