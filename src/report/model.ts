/*
 * The report's data: every incident the App opened across an installation's
 * repositories (open and closed; the closed ones feed the weekly chart), and
 * what could not be read. Plain data, so rendering is pure and testable with
 * a fixed "now".
 */
import type { VerificationVerdict } from "../render/types.js";
import type { RotationStatus } from "../rotation/types.js";
import type { KeyKind, Mode, Severity } from "../scanner/types.js";

export interface ReportIncident {
  /** "owner/repo". */
  repository: string;
  number: number;
  url: string;
  state: "open" | "closed";
  severity?: Severity;
  kind?: KeyKind;
  mode?: Exclude<Mode, "unknown">;
  /** "sk_live_…a1B2"; absent when the issue no longer shows one of that shape. */
  redacted?: string;
  verification?: VerificationVerdict;
  rotation?: RotationStatus;
  /** ISO 8601. */
  openedAt: string;
  closedAt?: string;
}

export interface InstallationReport {
  installationId: number;
  /** The account the App is installed on. */
  owner: string;
  /** Repositories the installation can see. */
  repositories: number;
  incidents: ReportIncident[];
  /** Repositories whose incidents could not be read, with why: the report is incomplete, never silently short. */
  incomplete: string[];
}
