#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in lib/, built by `npm ci` (prepare) or `npm run build`.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../lib/bin/cli.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error("stripe-leak-guard: lib/ is missing. Run `npm run build` (npm ci does it for you).");
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
