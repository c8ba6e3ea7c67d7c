import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RepoConfig } from "../config/repo-config.js";
import { CliError, describeError } from "./errors.js";

/** REPO_CONFIG_PATH, repeated so that a scan without config does not load the schema (a test pins them equal). */
export const DISCOVERED_CONFIG_PATH = ".github/stripe-leak-guard.yml";

/** What a scan uses of the repo config: the schema's defaults for these two are empty. */
export type ScanConfig = Pick<RepoConfig, "paths" | "allow">;
const NO_CONFIG: ScanConfig = { paths: { ignore: [] }, allow: [] };

export interface LoadedConfig {
  config: ScanConfig;
  /** The file used, as the user would name it; undefined for the defaults. */
  path?: string;
  /** Things the user should know about how the file was read. */
  notes: string[];
}

/** Reads and validates a repo config file; anything wrong is a CliError naming the file and each problem. */
export async function loadConfigFile(abs: string, shownAs: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(abs, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === "ENOENT" ? `config file not found: ${shownAs}` : `cannot read config file ${shownAs} (${code ?? describeError(error)})`);
  }
  let raw: unknown;
  try {
    const { parse: parseYaml } = await import("yaml");
    raw = parseYaml(text);
  } catch (error) {
    throw new CliError(`config file ${shownAs} is not valid YAML: ${describeError(error).split("\n")[0]}`);
  }
  const notes: string[] = [];
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw) && "_extends" in raw) {
    // The App follows _extends through the GitHub API; a local scan cannot, so it uses the file's own settings.
    const { _extends: target, ...rest } = raw as Record<string, unknown>;
    notes.push(`${shownAs}: _extends (${String(target)}) is followed by the GitHub App only; this scan uses the file's own settings`);
    raw = rest;
  }
  const { parseRepoConfig } = await import("../config/repo-config.js");
  const { config, errors } = parseRepoConfig(raw);
  if (errors.length > 0) {
    throw new CliError(`config file ${shownAs} is invalid:\n${errors.map((e) => `  ${e}`).join("\n")}`);
  }
  return { config, path: shownAs, notes };
}

/** `--config` when given; otherwise the root's .github/stripe-leak-guard.yml when it exists; otherwise the defaults. */
export async function resolveConfig(explicit: { abs: string; shownAs: string } | undefined, root: string, rootShownAs: string): Promise<LoadedConfig> {
  if (explicit) return loadConfigFile(explicit.abs, explicit.shownAs);
  const candidate = join(root, DISCOVERED_CONFIG_PATH);
  if (!existsSync(candidate)) return { config: NO_CONFIG, notes: [] };
  const shownAs = rootShownAs === "." ? DISCOVERED_CONFIG_PATH : `${rootShownAs.replace(/\/+$/, "")}/${DISCOVERED_CONFIG_PATH}`;
  return loadConfigFile(candidate, shownAs);
}
