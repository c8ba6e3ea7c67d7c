/*
 * Assembles src/scanner/prefilter.wat into src/scanner/prefilter-wasm.ts.
 * `--check` writes nothing and exits 1 when the committed module is out of date.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { assemblePrefilter, PREFILTER_MODULE } from "./wasm/assemble.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let generated: string;
try {
  generated = await assemblePrefilter(root);
} catch (error) {
  // wabt's own stack points into a minified file; its message names the line of the .wat.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
if (process.argv.includes("--check")) {
  if (readFileSync(join(root, PREFILTER_MODULE), "utf8") !== generated) {
    console.error(`Out of date: ${PREFILTER_MODULE}\nRun \`npm run wasm:generate\` and commit the result.`);
    process.exit(1);
  }
  console.log("The assembled prefilter is current.");
} else {
  writeFileSync(join(root, PREFILTER_MODULE), generated);
  console.log(`wrote ${PREFILTER_MODULE}`);
}
