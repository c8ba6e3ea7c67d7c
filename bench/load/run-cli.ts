// Runs the CLI from source (no build needed), as `stripe-leak-guard <argv>` would.
import { main } from "../../src/bin/cli.js";

process.exitCode = await main(process.argv.slice(2));
