// `npm run prepare`: builds lib/ from src/ (npm ci, npm install, and installs from git).
//
// Plain JavaScript, because it may run before any dependency is installed.
// When a git dependency is installed globally (`npm install -g git+…`, which is
// how pre-commit installs a `language: node` hook), npm prepares the clone in
// global mode: its devDependencies are not installed next to it, and the build
// would find no TypeScript (https://github.com/npm/cli/issues/8440). Then this
// installs them locally first.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync(tsc)) {
  const npm = process.env.npm_execpath;
  console.error("stripe-leak-guard prepare: TypeScript is not installed here; installing the dev dependencies to build lib/");
  const args = ["install", "--global=false", "--include=dev", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts"];
  if (npm) run(process.execPath, [npm, ...args]);
  else run("npm", args);
}
run(process.execPath, [tsc, "-p", "tsconfig.build.json"]);
