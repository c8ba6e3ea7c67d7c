/*
 * Writes docs/examples/*, docs/configuration.md and schema/repo-config.schema.json
 * from the render code and the zod schemas. `--check` writes nothing and exits 1
 * when a committed file is out of date (for CI).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateDocs, staleDocs } from "./docs/generate.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

if (process.argv.includes("--check")) {
  const stale = staleDocs(root);
  if (stale.length > 0) {
    console.error(`Out of date: ${stale.join(", ")}\nRun \`npm run docs:generate\` and commit the result.`);
    process.exit(1);
  }
  console.log("Generated docs are current.");
} else {
  for (const [path, content] of Object.entries(generateDocs())) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    console.log(`wrote ${path}`);
  }
}
