import { readFile } from "node:fs/promises";
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
}

export async function loadIgnoreFile(dir: string, file: string): Promise<IgnoreLayer | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, file), "utf8");
  } catch {
    return undefined;
  }
  if (text.trim() === "") return undefined;
  return { dir, rules: ignore().add(text) };
}

/** Whether the absolute path is ignored by the stack of layers (outermost first). */
export function isIgnored(layers: readonly IgnoreLayer[], absPath: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    if (!absPath.startsWith(layer.dir) || absPath.length <= layer.dir.length) continue;
    let rel = absPath.slice(layer.dir.length + (layer.dir.endsWith("/") ? 0 : 1));
    if (isDirectory) rel += "/";
    const result = layer.rules.test(rel);
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}
