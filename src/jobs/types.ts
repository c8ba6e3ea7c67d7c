import type { ProbotOctokit } from "probot";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { KeyedLock } from "../lock/keyed-lock.js";

export type InstallationOctokit = InstanceType<typeof ProbotOctokit>;

/**
 * Job data: ids only. Never a key, never a token, never a patch. This is what
 * travels through BullMQ (and, in single-process mode, straight to the
 * processor), so anything added here must be safe to store in clear text.
 */

export interface RepoRef {
  installationId: number;
  owner: string;
  repo: string;
  /** Numeric repository id, stable across renames. */
  repoId: number;
  /** The repository's web address from the payload (names the GHES host), for permalinks. */
  htmlUrl?: string;
}

export interface PushJob extends RepoRef {
  deliveryId: string;
  ref: string;
  before: string;
  after: string;
  created: boolean;
  forced: boolean;
  defaultBranch: string;
  /** Login of the pusher, for the incident body. */
  pusher: string;
  /**
   * Commits (oldest first), besides the head, that added to or modified a
   * file another commit of the push changed too: a key one of them added may
   * be gone from the net diff, so each is read on its own. Absent when there
   * are none, so such a push costs only the compare request. At most
   * MAX_COMMITS_PER_SCAN (the newest).
   */
  rescanCommits?: string[];
  /** How many more such commits the cap left out (they are named as a gap). */
  rescanSkipped?: number;
}

export interface PullRequestJob extends RepoRef {
  deliveryId: string;
  number: number;
  headSha: string;
  baseSha: string;
  /** True when the head lives in a fork: comment, but raise incidents only once merged. */
  fromFork: boolean;
  author: string;
  /** For synchronize: the previous head, so only the commits this push added are scanned one by one. */
  before?: string;
  /** pull_request.commits from the payload: with one commit, the net diff is the whole history. */
  commits?: number;
  /** pull_request.changed_files from the payload, to say how many files GitHub's 3,000-file list left out. */
  changedFiles?: number;
}

/**
 * Where an incident's key was seen: enough to read it again from GitHub at
 * that commit. The key itself is never stored; it is re-detected by fingerprint.
 */
export interface RecordedLocation {
  commitSha: string;
  path: string;
  line: number;
}

/** Shared by the verify and rotate jobs: which incident, and where its key can be read again. */
export interface IncidentKeyJob extends RepoRef {
  issueNumber: number;
  fingerprint: string;
  location: RecordedLocation;
  /** Stable per request (delivery id or comment id), so a redelivered request is recognised. */
  requestId: string;
  /** Login of whoever asked through an issue command; absent for automatic runs. */
  requestedBy?: string;
}

export type VerifyKeyJob = IncidentKeyJob;

export interface RotateKeyJob extends IncidentKeyJob {
  trigger: "auto" | "command";
}

/**
 * installation.created or installation_repositories.added: list the
 * repositories and queue one "backfill-repo" job each. `owner` is the account
 * the App is installed on; `repo` is "*" (the job is about many).
 */
export interface BackfillInstallationJob {
  installationId: number;
  owner: string;
  repo: string;
  deliveryId: string;
  /** Only these repositories (installation_repositories.added); absent: every repository the installation can see. */
  repoIds?: number[];
}

/** Scan one repository's default branch at its head, from one tarball. */
export interface BackfillRepoJob extends RepoRef {
  /** The installation event that planned it: part of the job id, so a redelivered event adds nothing. */
  backfillId: string;
}

/** A full-history scan of one repository from a bare clone. */
export interface ScanHistoryRepoJob extends RepoRef {
  /** The issue whose comment asked for it, to report on; absent when the operator asked from the CLI. */
  issueNumber?: number;
  /** Stable per request (comment id, or the operator's run), so a redelivered request is recognised. */
  requestId: string;
  requestedBy?: string;
}

/** What happened to an incident that responders are told about (src/alerts). */
export type AlertEvent = "opened" | "reopened" | "verification" | "rotation";

/**
 * Send one incident alert to one operator-defined channel. Ids only: the
 * processor reads the incident issue again to build the message, so neither
 * the key nor the channel's URL or secret ever enters Redis.
 */
export interface SendAlertJob extends RepoRef {
  issueNumber: number;
  fingerprint: string;
  event: AlertEvent;
  /** Tells two events of the same kind apart (which reopening, which verdict of which request); part of the idempotency id. */
  eventKey: string;
  /** The channel's name in ALERT_CHANNELS. */
  channel: string;
  /** For opened and reopened: which scan saw the key (push, pull-request, backfill, history), so receivers can route a first-install backfill apart. */
  foundBy?: "push" | "pull-request" | "backfill" | "history";
}

/**
 * Refresh the installation's report issue in the owner's `.github`
 * repository. `repo` is always ".github". `notBefore` is the end of the
 * debounce window the triggering change fell in (ms since the epoch): every
 * change in one window makes the same job, run once after the window.
 */
export interface PublishReportJob {
  installationId: number;
  owner: string;
  repo: string;
  notBefore: number;
}

export type JobName = "scan-push" | "scan-pull-request" | "verify-key" | "rotate-key" | "backfill-installation" | "backfill-repo" | "scan-history-repo" | "send-alert" | "publish-report";

export interface JobDataByName {
  "scan-push": PushJob;
  "scan-pull-request": PullRequestJob;
  "verify-key": VerifyKeyJob;
  "rotate-key": RotateKeyJob;
  "backfill-installation": BackfillInstallationJob;
  "backfill-repo": BackfillRepoJob;
  "scan-history-repo": ScanHistoryRepoJob;
  "send-alert": SendAlertJob;
  "publish-report": PublishReportJob;
}

/**
 * How a handler hands work on. In single-process mode this runs the processor
 * at once; with REDIS_URL it adds a BullMQ job and returns.
 */
export interface Dispatcher {
  dispatch<N extends JobName>(name: N, data: JobDataByName[N]): Promise<void>;
}

/** What every processor gets besides its job data. Built per job, by the dispatcher or the worker. */
export interface JobDeps {
  /** Authenticated as the job's installation. */
  octokit: InstallationOctokit;
  log: Logger;
  pepper: string;
  /** Serialises incident lookup-and-create per (repo, fingerprint). */
  lock: KeyedLock;
  /**
   * Hands follow-up work to the queue (a verification retry, an automatic
   * rotation after a new incident). Optional: without it, follow-ups go to
   * the worker's queue through `redis`, or run in the background in
   * single-process mode (src/rotation/follow-up.ts).
   */
  dispatcher?: Dispatcher;
  /**
   * The worker's shared Redis and queue prefix, for jobs that keep their own
   * progress (the backfill's done-set) or queue their own follow-ups. Absent
   * in single-process mode, where that state lives in memory.
   */
  redis?: { client: Redis; prefix: string };
  /** The job's installation, so follow-up jobs (alerts, the report) can name it. Set by the dispatcher and the worker. */
  installationId?: number;
}

export type Processor<N extends JobName> = (data: JobDataByName[N], deps: JobDeps) => Promise<void>;
