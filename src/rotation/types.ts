/*
 * The rotation handler contract (docs/rotation-handlers.md). The request is
 * what the operator's handler receives; it holds the raw key only when the
 * operator sets ROTATION_SEND_SECRET, and then only in memory, at call time.
 */
import type { VerificationVerdict } from "../render/types.js";
import type { KeyKind, Mode } from "../scanner/index.js";

export const ROTATION_REQUEST_VERSION = 1;

export type RotationStatus = "rotated" | "pending" | "failed";

export interface RotationRequest {
  version: typeof ROTATION_REQUEST_VERSION;
  /** Stable per incident (repository id + fingerprint): the same on every retry and every re-request. */
  idempotencyId: string;
  /** Why the handler is called now. */
  trigger: "auto" | "command";
  requestedBy?: string;
  incident: {
    repository: string;
    repositoryId: number;
    issueNumber: number;
    url: string;
  };
  key: {
    kind: KeyKind;
    mode: Mode;
    redacted: string;
    fingerprint: string;
    /** The raw key: present only with ROTATION_SEND_SECRET. */
    secret?: string;
  };
  locations: {
    path: string;
    line: number;
    commitSha: string;
    url: string;
  }[];
  /** "not-checked" when STRIPE_VERIFY_KEYS is off or the kind cannot be verified. */
  verification: VerificationVerdict | "not-checked";
}

/** What one call to the handler came to. */
export type CallOutcome =
  /** The handler answered 2xx with a valid {status, message}. */
  | { type: "answered"; status: RotationStatus; message: string }
  /** Worth trying again: 5xx, 429, a timeout, a network error. */
  | { type: "retry"; reason: string; retryAfterMs?: number }
  /** Trying again would not help: any other 4xx, a redirect, a refused URL or address, a bad answer. */
  | { type: "refused"; reason: string };

export interface RotationHandler {
  /** For comments and logs, e.g. "https://rotate.example.com" or "module ./rotate.js". Never a secret. */
  readonly description: string;
  call(request: RotationRequest): Promise<CallOutcome>;
}
