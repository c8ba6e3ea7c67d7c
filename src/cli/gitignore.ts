import { readFileSync } from "node:fs";
import { join } from "node:path";
import ignore, { type Ignore } from "ignore";

/*
 * .gitignore rules as git applies them: each file's patterns are relative to
 * its own directory, deeper files override shallower ones (including "!"
 * re-includes), and an ignored directory is never entered.
 */

export interface IgnoreLayer {
  /** Absolute directory the patterns are relative to. */
  dir: string;
  rules: Ignore;
  /**
   * Every pattern ends with "/" ("build/", "!keep/"), so it matches
   * directories only. Such a layer cannot ignore a file the walk reaches (its
   * directories are never entered), and testing files against it is skipped.
   */
  directoriesOnly: boolean;
}

export function loadIgnoreFile(dir: string, file: string): IgnoreLayer | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, file), "utf8");
  } catch {
    return undefined;
  }
  const patterns = text
    .split("\n")
    // Trailing spaces are dropped unless escaped with a backslash, as git does.
    .map((line) => line.replace(/\r$/, "").replace(/(?<!\\)\s+$/, ""))
    .filter((line) => line !== "" && !line.startsWith("#"));
  if (patterns.length === 0) return undefined;
  return { dir, rules: ignore().add(text), directoriesOnly: patterns.every((pattern) => pattern.endsWith("/")) };
}

/** Whether the absolute path is ignored by the stack of layers (outermost first). */
export function isIgnored(layers: readonly IgnoreLayer[], absPath: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    if (!isDirectory && layer.directoriesOnly) continue;
    if (!absPath.startsWith(layer.dir) || absPath.length <= layer.dir.length) continue;
    let rel = absPath.slice(layer.dir.length + (layer.dir.endsWith("/") ? 0 : 1));
    if (isDirectory) rel += "/";
    const result = layer.rules.test(rel);
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}
