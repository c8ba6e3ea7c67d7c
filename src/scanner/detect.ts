import type { CommitInfo, Finding } from "./types.js";

export interface ScanContext {
  path: string;
  /** Key for the fingerprint HMAC; the operator's STRIPE_LEAK_GUARD_PEPPER or the documented default. */
  pepper: string;
  commit?: CommitInfo;
}

export interface AddedLine {
  /** 1-based line number in the new file. */
  line: number;
  text: string;
}

/** Every Stripe key in a whole file's text, with lines and columns computed. */
export function scanText(_text: string, _ctx: ScanContext): Finding[] {
  throw new Error("not implemented yet");
}

/** Every Stripe key in the given lines (a diff's added lines), keeping their line numbers. */
export function scanLines(_lines: readonly AddedLine[], _ctx: ScanContext): Finding[] {
  throw new Error("not implemented yet");
}
