/*
 * Incident issues: exactly one per (repository, key fingerprint).
 *
 * Per fingerprint, under deps.lock: find the incident through its hidden
 * marker, then create it, comment the new locations on it, or reopen it.
 * Which locations it already holds is read back from hidden per-location
 * markers, so a redelivered event adds nothing. The only state is on GitHub
 * (plus a per-process cache that is always re-checked).
 */
import { alertOnOutcome } from "../alerts/notify.js";
import type { RepoConfig } from "../config/repo-config.js";
import {
  createIssue,
  createIssueComment,
  getIssue,
  isInvalidAssigneeError,
  listIssueCommentBodies,
  listIssuesWithLabel,
  reopenIssue,
  type IssueSnapshot,
} from "../github/issues.js";
import { ensureLabels, type LabelCache, type LabelSpec } from "../github/labels.js";
import { renderIncidentIssue, renderReopenComment, renderSightingComment } from "../render/incident-issue.js";
import { labelDefinition } from "../render/labels.js";
import { incidentMarker, parseIncidentMarker } from "../render/markers.js";
import type { FoundBy, Location, RepoView, SightedFinding, VerificationVerdict } from "../render/types.js";
import { defaultIncidentCache, type IncidentCache } from "./incidents-cache.js";
import { INCIDENT_TRACKING_LABEL, incidentLabelSpecs } from "./incidents-labels.js";
import { locationId, newLocations, parseSeenMarkers, withSeenMarkers } from "./incidents-locations.js";
import { DEFAULT_RETRY_DELAYS_MS, writeOnce } from "./incidents-retry.js";
import type { JobDeps } from "./types.js";

export { INCIDENT_TRACKING_LABEL } from "./incidents-labels.js";

export type IncidentAction = "created" | "commented" | "reopened" | "unchanged" | "skipped";

export interface IncidentOutcome {
  fingerprint: string;
  /** Absent only when skipped. */
  issueNumber?: number;
  action: IncidentAction;
}

export interface RecordSightingsInput {
  repo: RepoView & { repoId: number };
  sightings: readonly SightedFinding[];
  foundBy: FoundBy;
  config: RepoConfig;
  /** Verification verdicts by fingerprint, shown on a new incident when present. */
  verification?: ReadonlyMap<string, VerificationVerdict>;
}

export interface IncidentOptions {
  cache?: IncidentCache;
  labelCache?: LabelCache;
  /** Waits before re-trying a create/comment whose first attempt failed without landing. */
  retryDelaysMs?: readonly number[];
  /** Label colour and description for a label name; default: the renderer's (labelDefinition). */
  describeLabel?: (name: string) => LabelSpec | undefined;
}

/** Thrown after every fingerprint was tried, when some failed; the others' outcomes are kept. */
export class IncidentsError extends Error {
  override name = "IncidentsError";
  constructor(
    message: string,
    readonly outcomes: readonly IncidentOutcome[],
    readonly failures: readonly { fingerprint: string; error: unknown }[],
  ) {
    super(message, { cause: failures[0]?.error });
  }
}

/*
 * Only what an App wrote counts: a person who pastes a marker into an issue or
 * a comment must not be able to redirect or silence an incident.
 */
const APP_ONLY = { botsOnly: true } as const;

/** Many locations in one comment would hit GitHub's 65,536-character body limit. */
const LOCATIONS_PER_COMMENT = 50;
const MAX_ASSIGNEES = 10;

export function raisesIncident(config: RepoConfig, sighting: Pick<SightedFinding, "finding" | "allowedReason">): boolean {
  const { finding } = sighting;
  const { kinds, modes } = config.incidents;
  if (!kinds.includes(finding.kind) || !modes.includes(finding.mode)) return false;
  // An allowed key is known and accepted: it is still reported on the PR and the check, but opens no incident.
  if (sighting.allowedReason !== undefined) return false;
  return !config.allow.some((entry) => finding.fingerprint.startsWith(entry.fingerprint));
}

/** One incident per fingerprint in `sightings`: created, commented with new locations, reopened, or left alone. */
export async function recordSightings(deps: JobDeps, input: RecordSightingsInput, options: IncidentOptions = {}): Promise<IncidentOutcome[]> {
  const outcomes: IncidentOutcome[] = [];
  const failures: { fingerprint: string; error: unknown }[] = [];
  // Serially, not in parallel: GitHub asks for content-creating requests one at a time.
  for (const group of groupByFingerprint(input.sightings)) {
    const fingerprint = group[0].finding.fingerprint;
    if (!raisesIncident(input.config, group[0])) {
      outcomes.push({ fingerprint, action: "skipped" });
      continue;
    }
    try {
      const outcome = await deps.lock.withLock(`incident:${input.repo.repoId}:${fingerprint}`, () => recordOne(deps, input, options, group));
      outcomes.push(outcome);
      deps.log.info({ repo: `${input.repo.owner}/${input.repo.repo}`, fingerprint: fingerprint.slice(0, 12), issue: outcome.issueNumber, action: outcome.action }, "incident recorded");
      // After the lock, and never throwing: responders hear of it through the queue (src/alerts/notify.ts).
      await alertOnOutcome(deps, input, outcome);
    } catch (error) {
      failures.push({ fingerprint, error });
      deps.log.error({ repo: `${input.repo.owner}/${input.repo.repo}`, fingerprint: fingerprint.slice(0, 12), err: error }, "could not record incident");
    }
  }
  if (failures.length > 0) {
    throw new IncidentsError(
      `could not record ${failures.length} of ${failures.length + outcomes.length} incident(s) in ${input.repo.owner}/${input.repo.repo}`,
      outcomes,
      failures,
    );
  }
  return outcomes;
}

/**
 * Read-only: the incident issue number of each fingerprint that has one (for
 * the PR summary, or a fork's PR that must not raise incidents). Cached numbers
 * are trusted here, since a stale link costs nothing; one listing fills the rest.
 */
export async function findIncidentNumbers(
  deps: Pick<JobDeps, "octokit">,
  repo: RepoView & { repoId: number },
  fingerprints: Iterable<string>,
  options: Pick<IncidentOptions, "cache"> = {},
): Promise<Map<string, number>> {
  const cache = options.cache ?? defaultIncidentCache;
  const wanted = [...new Set(fingerprints)];
  if (wanted.some((fingerprint) => cache.get(repo.repoId, fingerprint) === undefined)) {
    await listIncidents(deps, repo, options, undefined);
  }
  const found = new Map<string, number>();
  for (const fingerprint of wanted) {
    const number = cache.get(repo.repoId, fingerprint);
    if (number !== undefined) found.set(fingerprint, number);
  }
  return found;
}

type Group = [SightedFinding, ...SightedFinding[]];

function groupByFingerprint(sightings: readonly SightedFinding[]): Group[] {
  const groups = new Map<string, Group>();
  for (const sighting of sightings) {
    const group = groups.get(sighting.finding.fingerprint);
    if (group) group.push(sighting);
    else groups.set(sighting.finding.fingerprint, [sighting]);
  }
  return [...groups.values()];
}

async function recordOne(deps: JobDeps, input: RecordSightingsInput, options: IncidentOptions, group: Group): Promise<IncidentOutcome> {
  const fingerprint = group[0].finding.fingerprint;
  const locations = group.map((sighting) => sighting.location);
  const existing = await findIncident(deps, input, options, fingerprint);
  if (!existing) {
    const issue = await createIncident(deps, input, options, group);
    const rest = newLocations(locations, parseSeenMarkers([issue.body]));
    if (rest.length > 0) await postLocations(deps, input, options, issue.number, rest, "sighting");
    return { fingerprint, issueNumber: issue.number, action: "created" };
  }

  const recorded = parseSeenMarkers([existing.body, ...(await listIssueCommentBodies(deps.octokit, input.repo, existing.number, APP_ONLY))]);
  const fresh = newLocations(locations, recorded);
  if (fresh.length === 0) return { fingerprint, issueNumber: existing.number, action: "unchanged" };
  if (existing.state === "closed") {
    // Reopen before commenting: if we die in between, the retry sees an open issue and still comments.
    await reopenIssue(deps.octokit, input.repo, existing.number);
    await postLocations(deps, input, options, existing.number, fresh, "reopen");
    return { fingerprint, issueNumber: existing.number, action: "reopened" };
  }
  await postLocations(deps, input, options, existing.number, fresh, "sighting");
  return { fingerprint, issueNumber: existing.number, action: "commented" };
}

/** The cached number is confirmed by the issue's own marker; anything else falls back to listing. */
async function findIncident(deps: JobDeps, input: RecordSightingsInput, options: IncidentOptions, fingerprint: string): Promise<IssueSnapshot | undefined> {
  const cache = options.cache ?? defaultIncidentCache;
  const cached = cache.get(input.repo.repoId, fingerprint);
  if (cached !== undefined) {
    const issue = await getIssue(deps.octokit, input.repo, cached);
    if (issue?.byBot && parseIncidentMarker(issue.body) === fingerprint) return issue;
    cache.forget(input.repo.repoId, fingerprint);
  }
  return listIncidents(deps, input.repo, options, fingerprint);
}

/** Lists every incident of the repository (one request per 100), refreshing the cache for all of them. */
async function listIncidents(
  deps: Pick<JobDeps, "octokit">,
  repo: RepoView & { repoId: number },
  options: Pick<IncidentOptions, "cache">,
  fingerprint: string | undefined,
): Promise<IssueSnapshot | undefined> {
  const cache = options.cache ?? defaultIncidentCache;
  const best = new Map<string, IssueSnapshot>();
  for (const issue of await listIssuesWithLabel(deps.octokit, repo, INCIDENT_TRACKING_LABEL.name)) {
    const marked = parseIncidentMarker(issue.body);
    if (!marked || !issue.byBot) continue;
    // Duplicates left by an older version or by hand: prefer the open one, then the oldest.
    const current = best.get(marked);
    if (!current || preferred(issue, current)) best.set(marked, issue);
  }
  for (const [marked, issue] of best) cache.set(repo.repoId, marked, issue.number);
  return fingerprint === undefined ? undefined : best.get(fingerprint);
}

function preferred(a: IssueSnapshot, b: IssueSnapshot): boolean {
  if (a.state !== b.state) return a.state === "open";
  return a.number < b.number;
}

async function createIncident(deps: JobDeps, input: RecordSightingsInput, options: IncidentOptions, group: Group): Promise<IssueSnapshot> {
  const [first] = group;
  const fingerprint = first.finding.fingerprint;
  const verification = input.verification?.get(fingerprint);
  const rendered = renderIncidentIssue({
    repo: input.repo,
    finding: first.finding,
    location: first.location,
    foundBy: input.foundBy,
    mentions: input.config.incidents.mentions,
    ...(verification ? { verification } : {}),
  });
  const labels = incidentLabelSpecs(rendered.labels, input.config.incidents.labels, options.describeLabel ?? labelDefinition);
  try {
    await ensureLabels(deps.octokit, input.repo, labels, ...(options.labelCache ? [options.labelCache] : []));
  } catch (error) {
    // Colours and descriptions are cosmetic: GitHub creates a missing label itself when the issue uses it.
    deps.log.warn({ repo: `${input.repo.owner}/${input.repo.repo}`, err: error }, "could not create incident labels; opening the incident anyway");
  }

  const marked = parseIncidentMarker(rendered.body) === fingerprint ? rendered.body : `${rendered.body.trimEnd()}\n\n${incidentMarker(fingerprint)}`;
  let assignees = input.config.incidents.assignees.map((login) => login.replace(/^@/, "")).slice(0, MAX_ASSIGNEES);
  const create = () =>
    createIssue(deps.octokit, input.repo, {
      title: rendered.title,
      body: withSeenMarkers(marked, [first.location]),
      labels: labels.map((label) => label.name),
      assignees,
    });
  const landed = () => listIncidents(deps, input.repo, options, fingerprint);

  let issue: IssueSnapshot;
  try {
    issue = await writeOnce({ write: create, landed, delaysMs: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS });
  } catch (error) {
    // A configured login that cannot be assigned here must not stop the incident.
    if (assignees.length === 0 || !isInvalidAssigneeError(error)) throw error;
    deps.log.warn({ repo: `${input.repo.owner}/${input.repo.repo}`, assignees }, "incident assignees rejected by GitHub; creating it unassigned");
    assignees = [];
    issue = await writeOnce({ write: create, landed, delaysMs: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS });
  }
  (options.cache ?? defaultIncidentCache).set(input.repo.repoId, fingerprint, issue.number);
  return issue;
}

async function postLocations(
  deps: JobDeps,
  input: RecordSightingsInput,
  options: IncidentOptions,
  issueNumber: number,
  locations: readonly Location[],
  kind: "sighting" | "reopen",
): Promise<void> {
  for (let start = 0; start < locations.length; start += LOCATIONS_PER_COMMENT) {
    const chunk = locations.slice(start, start + LOCATIONS_PER_COMMENT);
    const render = kind === "reopen" && start === 0 ? renderReopenComment : renderSightingComment;
    const body = withSeenMarkers(render({ repo: input.repo, locations: chunk }), chunk);
    const ids = chunk.map(locationId);
    await writeOnce({
      write: async () => {
        await createIssueComment(deps.octokit, input.repo, issueNumber, body);
        return true;
      },
      landed: async () => {
        const recorded = parseSeenMarkers(await listIssueCommentBodies(deps.octokit, input.repo, issueNumber, APP_ONLY));
        return ids.every((id) => recorded.has(id)) ? true : undefined;
      },
      delaysMs: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    });
  }
}
