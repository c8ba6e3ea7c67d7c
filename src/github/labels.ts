/*
 * Makes sure the labels an incident needs exist, with our colour and
 * description, before an issue uses them (GitHub would otherwise create them
 * grey and undescribed). What exists is remembered per repository for the
 * life of the process: labels are rarely deleted, and if one is, GitHub still
 * creates it when an issue uses it, so a stale entry costs looks, not
 * correctness.
 */
import type { InstallationOctokit } from "../jobs/types.js";
import type { RepoCoords } from "./issues.js";
import { statusOf } from "./issues.js";

export interface LabelSpec {
  name: string;
  /** Six hex digits, no "#". */
  color: string;
  description: string;
}

/** Known label names (lower-cased: GitHub label names are case-insensitive), per repository. */
export type LabelCache = Map<string, Set<string>>;

const MAX_REPOS = 1000;
const defaultCache: LabelCache = new Map();

export function clearLabelCache(): void {
  defaultCache.clear();
}

function cacheKey(repo: RepoCoords): string {
  return `${repo.owner}/${repo.repo}`.toLowerCase();
}

/** Lists the repository's labels once, then creates the missing ones. Returns the names it created. */
export async function ensureLabels(
  octokit: InstallationOctokit,
  repo: RepoCoords,
  specs: readonly LabelSpec[],
  cache: LabelCache = defaultCache,
): Promise<string[]> {
  const key = cacheKey(repo);
  let known = cache.get(key);
  const missing = () => uniqueByName(specs).filter((spec) => !known?.has(spec.name.toLowerCase()));
  if (missing().length === 0) return [];

  if (!known) {
    const labels = await octokit.paginate(octokit.rest.issues.listLabelsForRepo, { owner: repo.owner, repo: repo.repo, per_page: 100 });
    known = new Set(labels.map((label) => label.name.toLowerCase()));
    if (cache.size >= MAX_REPOS) cache.clear();
    cache.set(key, known);
  }

  const created: string[] = [];
  for (const spec of missing()) {
    try {
      await octokit.rest.issues.createLabel({
        owner: repo.owner,
        repo: repo.repo,
        name: spec.name,
        color: spec.color.replace(/^#/, ""),
        description: spec.description.slice(0, 100),
      });
      created.push(spec.name);
    } catch (error) {
      // Someone (another delivery, another process, a human) created it meanwhile: that is the goal anyway.
      if (!isAlreadyExists(error)) throw error;
    }
    known.add(spec.name.toLowerCase());
  }
  return created;
}

function uniqueByName(specs: readonly LabelSpec[]): LabelSpec[] {
  const seen = new Set<string>();
  return specs.filter((spec) => {
    const name = spec.name.toLowerCase();
    if (seen.has(name)) return false;
    seen.add(name);
    return true;
  });
}

function isAlreadyExists(error: unknown): boolean {
  if (statusOf(error) !== 422) return false;
  const data = (error as { response?: { data?: { errors?: { code?: string }[] } } }).response?.data;
  return data?.errors?.some((entry) => entry.code === "already_exists") ?? false;
}
