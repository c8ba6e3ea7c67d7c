/*
 * Reads the repository's `.github/stripe-leak-guard.yml`, falling back to the
 * owner's `.github` repository (the organisation default), and follows
 * `_extends` within the same owner only: another owner's file could change
 * what is scanned and reported, so it is refused as a config error.
 *
 * Never throws for bad config: any problem becomes an error line and the
 * defaults apply, so a scan always runs and says what was wrong.
 */
import { parse as parseYaml } from "yaml";
import type { InstallationOctokit } from "../jobs/types.js";
import { parseRepoConfig, REPO_CONFIG_PATH, defaultRepoConfig, type ConfigResult } from "../config/repo-config.js";
import { scrubString } from "../log/scrub.js";
import type { RepoCoords } from "./compare.js";
import { statusOf } from "./issues.js";

const MAX_EXTENDS_DEPTH = 5;

type Raw = Record<string, unknown>;

interface FileRef {
  owner: string;
  repo: string;
  path: string;
}

class ConfigProblem extends Error {}

export async function loadRepoConfig(octokit: InstallationOctokit, repo: RepoCoords): Promise<ConfigResult & { source?: string }> {
  try {
    const own: FileRef = { owner: repo.owner, repo: repo.repo, path: REPO_CONFIG_PATH };
    let start: { ref: FileRef; raw: Raw } | undefined;
    const ownRaw = await readYamlFile(octokit, own);
    if (ownRaw !== undefined) {
      start = { ref: own, raw: ownRaw };
    } else if (repo.repo !== ".github") {
      const orgDefault: FileRef = { owner: repo.owner, repo: ".github", path: REPO_CONFIG_PATH };
      const orgRaw = await readYamlFile(octokit, orgDefault);
      if (orgRaw !== undefined) start = { ref: orgDefault, raw: orgRaw };
    }
    if (!start) return { config: defaultRepoConfig, errors: [] };
    const merged = await resolveExtends(octokit, start.ref, start.raw, repo.owner, [describe(start.ref)]);
    const parsed = parseRepoConfig(merged);
    return { config: parsed.config, errors: parsed.errors.map(scrubString), source: describe(start.ref) };
  } catch (error) {
    const message = error instanceof ConfigProblem ? error.message : `could not read ${REPO_CONFIG_PATH} (${describeFailure(error)})`;
    // Errors quote the file (key names, YAML snippets) and end up in check runs and comments: never a key.
    return { config: defaultRepoConfig, errors: [scrubString(message)] };
  }
}

async function resolveExtends(octokit: InstallationOctokit, ref: FileRef, raw: Raw, owner: string, chain: string[]): Promise<Raw> {
  const { _extends: target, ...rest } = raw;
  if (target === undefined) return rest;
  if (typeof target !== "string" || target.trim() === "") throw new ConfigProblem(`${describe(ref)}: _extends must be "repo", "owner/repo" or "owner/repo:path"`);
  const base = parseExtends(target.trim(), ref.owner);
  if (base.owner.toLowerCase() !== owner.toLowerCase()) {
    throw new ConfigProblem(
      `${describe(ref)}: _extends points at another owner (${base.owner}); only repositories of ${owner} may be extended, so the defaults apply`,
    );
  }
  const name = describe(base);
  if (chain.includes(name)) throw new ConfigProblem(`_extends loops: ${[...chain, name].join(" -> ")}`);
  if (chain.length > MAX_EXTENDS_DEPTH) throw new ConfigProblem(`_extends chain is longer than ${MAX_EXTENDS_DEPTH}: ${chain.join(" -> ")}`);
  const baseRaw = await readYamlFile(octokit, base);
  if (baseRaw === undefined) throw new ConfigProblem(`${describe(ref)}: _extends target ${name} was not found`);
  const resolvedBase = await resolveExtends(octokit, base, baseRaw, owner, [...chain, name]);
  return deepMerge(resolvedBase, rest);
}

function parseExtends(target: string, currentOwner: string): FileRef {
  const [repoPart = "", path] = target.split(":", 2);
  const segments = repoPart.split("/");
  const [ownerName, repoName] = segments.length === 2 ? segments : [currentOwner, segments[0]];
  if (!ownerName || !repoName || segments.length > 2) throw new ConfigProblem(`_extends "${target}" is not "repo", "owner/repo" or "owner/repo:path"`);
  return { owner: ownerName, repo: repoName, path: path && path.length > 0 ? path : REPO_CONFIG_PATH };
}

/** Objects merge key by key; anything else (lists included) is replaced by the extending file's value. */
function deepMerge(base: Raw, override: Raw): Raw {
  const out: Raw = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const previous = out[key];
    out[key] = isPlainObject(previous) && isPlainObject(value) ? deepMerge(previous, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The parsed YAML mapping, or undefined when the file does not exist. */
async function readYamlFile(octokit: InstallationOctokit, ref: FileRef): Promise<Raw | undefined> {
  let text: string;
  try {
    const { data } = await octokit.rest.repos.getContent({ owner: ref.owner, repo: ref.repo, path: ref.path });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) {
      throw new ConfigProblem(`${describe(ref)} is not a file`);
    }
    if (data.content === "" && data.size > 0) throw new ConfigProblem(`${describe(ref)} is too large to read (${data.size} bytes)`);
    text = Buffer.from(data.content, "base64").toString("utf8");
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : "unreadable";
    throw new ConfigProblem(`${describe(ref)} is not valid YAML: ${reason}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isPlainObject(parsed)) throw new ConfigProblem(`${describe(ref)} must be a mapping of settings, not a ${Array.isArray(parsed) ? "list" : typeof parsed}`);
  return parsed;
}

function describe(ref: FileRef): string {
  return `${ref.owner}/${ref.repo}:${ref.path}`;
}

function describeFailure(error: unknown): string {
  const status = statusOf(error);
  return status !== undefined ? `GitHub answered ${status}` : error instanceof Error ? error.message : "unknown error";
}
