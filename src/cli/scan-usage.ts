import { DEFAULT_MAX_FILE_MIB } from "./scan-args.js";

export const SCAN_USAGE = `Usage: stripe-leak-guard scan [options] [paths...]

Find Stripe keys (secret, restricted, organization, webhook signing and
publishable keys) in files, diffs and git history.

Inputs (choose one; default: the current directory)
  [paths...]             files and directories; directories are walked with
                         .gitignore respected and .git skipped; - reads stdin
  --diff [file|-]        the added lines of a unified diff (default: stdin)
  --git <range>          the lines each commit in <range> added (e.g. main..HEAD)
  --history              the lines every commit reachable from any ref added
  --staged               the lines staged for the next commit (pre-commit)
                         The git modes take the repository as their one path.

Options
  -f, --format <fmt>     text (default), json or sarif
  -o, --output <file>    write the report to <file> instead of stdout
      --fail-on <sev>    exit 1 when a finding is at or above this severity:
                         info, low, medium, high (default), critical, or none
  -c, --config <file>    repo config (YAML); default: .github/stripe-leak-guard.yml
                         in the scanned directory or repository, when present
      --max-file-size <MiB>
                         skip (and report) files larger than this (default ${DEFAULT_MAX_FILE_MIB})
  -j, --threads <n>      scan threads for files and directories (default: one per core)
      --no-progress      no progress line on stderr (it only shows on a terminal)
  -h, --help             this help

Exit codes: 0 no finding at or above --fail-on, 1 at least one, 2 error.
Environment: STRIPE_LEAK_GUARD_PEPPER keys the fingerprints (see docs/cli.md).
`;
