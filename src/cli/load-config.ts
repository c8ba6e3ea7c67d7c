import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { defaultRepoConfig, parseRepoConfig, REPO_CONFIG_PATH, type RepoConfig } from "../config/repo-config.js";
import { CliError, describeError } from "./errors.js";

export interface LoadedConfig {
  config: RepoConfig;
  /** The file used, as the user would name it; undefined for the defaults. */
  path?: string;
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
    raw = parseYaml(text);
  } catch (error) {
    throw new CliError(`config file ${shownAs} is not valid YAML: ${describeError(error).split("\n")[0]}`);
  }
  const { config, errors } = parseRepoConfig(raw);
  if (errors.length > 0) {
    throw new CliError(`config file ${shownAs} is invalid:\n${errors.map((e) => `  ${e}`).join("\n")}`);
  }
  return { config, path: shownAs };
}

/** `--config` when given; otherwise the root's .github/stripe-leak-guard.yml when it exists; otherwise the defaults. */
export async function resolveConfig(explicit: { abs: string; shownAs: string } | undefined, root: string, rootShownAs: string): Promise<LoadedConfig> {
  if (explicit) return loadConfigFile(explicit.abs, explicit.shownAs);
  const candidate = join(root, REPO_CONFIG_PATH);
  if (!existsSync(candidate)) return { config: defaultRepoConfig };
  const shownAs = rootShownAs === "." ? REPO_CONFIG_PATH : `${rootShownAs.replace(/\/+$/, "")}/${REPO_CONFIG_PATH}`;
  return loadConfigFile(candidate, shownAs);
}
