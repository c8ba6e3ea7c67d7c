import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderConfigurationDoc, repoConfigJsonSchema } from "./configuration.js";
import { renderExamples } from "./examples.js";

/** Every generated file, by repository-relative path. Pure: the caller writes or compares. */
export function generateDocs(): Record<string, string> {
  return {
    ...renderExamples(),
    "docs/configuration.md": renderConfigurationDoc(),
    "schema/repo-config.schema.json": `${JSON.stringify(repoConfigJsonSchema(), null, 2)}\n`,
  };
}

/** Paths whose committed content differs from what the code generates now. */
export function staleDocs(root: string): string[] {
  return Object.entries(generateDocs())
    .filter(([path, content]) => {
      try {
        return readFileSync(join(root, path), "utf8") !== content;
      } catch {
        return true;
      }
    })
    .map(([path]) => path);
}
