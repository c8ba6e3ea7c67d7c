import type { Finding, Severity } from "../scanner/index.js";

/** Where the repository lives, for permalinks (github.com or a GHES host). */
export interface RepoView {
  owner: string;
  repo: string;
  /** e.g. "https://github.com/octo/app" or "https://ghe.example.com/octo/app". */
  htmlUrl: string;
}

/** One place a key was seen. */
export interface Location {
  path: string;
  line: number;
  commitSha: string;
  /** Branch or PR ref it arrived through, when known. */
  ref?: string;
  /** Login of whoever pushed or authored it. */
  pushedBy?: string;
  prNumber?: number;
}

export type FoundBy = "push" | "pull-request" | "backfill" | "history";

/** Three outcomes (plus a restricted flavour of active); an error is never "inactive". */
export type VerificationVerdict = "active" | "active-restricted" | "inactive" | "unknown";

export interface SightedFinding {
  finding: Finding;
  location: Location;
  /** Set when the repo config allows this fingerprint: the reason given there. Allowed findings never fail the check. */
  allowedReason?: string;
}

export interface IncidentInput {
  repo: RepoView;
  /** The first sighting. */
  finding: Finding;
  location: Location;
  foundBy: FoundBy;
  mentions: readonly string[];
  verification?: VerificationVerdict;
  /** Labels from the repo config (incidents.labels); they come first in `labels`, before kind, severity and mode. */
  extraLabels?: readonly string[];
}

export interface RenderedIssue {
  title: string;
  body: string;
  labels: string[];
}

export interface PrSummaryInput {
  repo: RepoView;
  prNumber: number;
  headSha: string;
  findings: readonly SightedFinding[];
  /** Human descriptions of what could not be scanned (GitHub limits, fetch failures). Non-empty means "incomplete". */
  incomplete: readonly string[];
  configErrors: readonly string[];
  /** Incident issue number per fingerprint, when one exists. */
  incidents: ReadonlyMap<string, number>;
}

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  title: string;
  message: string;
}

export interface CheckRunInput {
  repo: RepoView;
  headSha: string;
  findings: readonly SightedFinding[];
  failOn: Severity;
  incomplete: readonly string[];
  configErrors: readonly string[];
}

export interface RenderedCheckRun {
  conclusion: "success" | "failure" | "neutral";
  title: string;
  summary: string;
  text?: string;
  /** All of them; the GitHub module sends them in batches of at most 50. */
  annotations: CheckAnnotation[];
}
