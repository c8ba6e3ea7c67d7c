import { stringify as toYaml } from "yaml";
import { z } from "zod";
import { envSchema } from "../../src/config/env.js";
import { REPO_CONFIG_PATH, defaultRepoConfig, repoConfigSchema } from "../../src/config/repo-config.js";
import { generatedNotice } from "./examples.js";

/*
 * docs/configuration.md and schema/repo-config.schema.json, both from the zod
 * schemas, so a field added to the code shows up in the docs with its type,
 * default and description. Only the intro prose is written by hand, here.
 */

interface JsonSchema {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  pattern?: string;
  minLength?: number;
  format?: string;
  anyOf?: JsonSchema[];
}

/** Input shape: what a user writes, where every defaulted field is optional. */
export function repoConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(repoConfigSchema, { io: "input", unrepresentable: "any" });
  return { ...schema, title: "stripe-leak-guard repository configuration" };
}

function envJsonSchema(): JsonSchema {
  return z.toJSONSchema(envSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

const FLAG_VALUES = ["", "0", "1", "false", "true"];

function typeOf(node: JsonSchema): string {
  if (node.enum) {
    const values = node.enum.map(String);
    if ([...values].sort().join() === FLAG_VALUES.join()) return "flag: `true` / `1`, or `false` / `0`";
    return values.map((value) => `\`${value}\``).join(" | ");
  }
  if (node.anyOf) return node.anyOf.map(typeOf).join(" or ");
  if (node.type === "array") return node.items ? `list of ${typeOf(node.items)}` : "list";
  if (node.type === "object") return "object";
  if (node.type === "string") {
    if (node.format === "uri") return "URL";
    if (node.pattern) return `string matching \`${node.pattern}\``;
    return "string";
  }
  return node.type ?? "any";
}

function defaultOf(node: JsonSchema, required: boolean): string {
  if (node.default !== undefined) return `\`${JSON.stringify(node.default)}\``;
  return required ? "required" : "unset";
}

/** Pipes inside a cell (enum lists, descriptions) would split it. */
function row(cells: readonly string[]): string {
  return `| ${cells.map((value) => value.replaceAll("|", "\\|")).join(" | ")} |`;
}

function fieldTable(prefix: string, node: JsonSchema): string {
  const lines = ["| Field | Type | Default | Description |", "|---|---|---|---|"];
  for (const [name, field] of Object.entries(node.properties ?? {})) {
    const required = node.required?.includes(name) ?? false;
    lines.push(row([`\`${prefix}${name}\``, typeOf(field), defaultOf(field, required), field.description ?? ""]));
  }
  return lines.join("\n");
}

function repoConfigReference(): string {
  const schema = repoConfigJsonSchema() as JsonSchema;
  const sections: string[] = [];
  for (const [name, node] of Object.entries(schema.properties ?? {})) {
    sections.push(`### \`${name}\``, "", node.description ?? "", "");
    if (node.type === "object") {
      sections.push(fieldTable(`${name}.`, node), "");
    } else if (node.type === "array" && node.items?.type === "object") {
      sections.push(`A list, default \`${JSON.stringify(node.default ?? [])}\`. Each entry is an object: ${node.items.description ?? ""}`, "");
      sections.push(fieldTable(`${name}[].`, node.items), "");
    } else {
      sections.push(`Type: ${typeOf(node)}. Default: ${defaultOf(node, false)}.`, "");
    }
  }
  return sections.join("\n").trimEnd();
}

function envReference(): string {
  const schema = envJsonSchema();
  const lines = ["| Variable | Type | Default | Description |", "|---|---|---|---|"];
  for (const [name, node] of Object.entries(schema.properties ?? {})) {
    const required = schema.required?.includes(name) ?? false;
    lines.push(row([`\`${name}\``, typeOf(node), defaultOf(node, required), node.description ?? ""]));
  }
  return lines.join("\n");
}

const PROBOT_VARIABLES: ReadonlyArray<[string, string]> = [
  ["APP_ID", "The GitHub App's id. Written to `.env` by the setup flow when you register the App from `app.yml`."],
  ["PRIVATE_KEY / PRIVATE_KEY_PATH", "The App's private key (PEM), inline or as a file path."],
  ["WEBHOOK_SECRET", "The secret GitHub signs webhook deliveries with."],
  ["WEBHOOK_PROXY_URL", "A smee.io channel the setup flow creates for local development. `stripe-leak-guard server` does not run a smee client itself: forward with `npx smee-client -u $WEBHOOK_PROXY_URL -t http://localhost:3000/api/github/webhooks`."],
  ["GHE_HOST", "Hostname of a GitHub Enterprise Server, e.g. `github.example.com`. Unset: github.com."],
  ["GHE_PROTOCOL", "`https` (default) or `http` for GitHub Enterprise Server."],
  ["HOST / PORT", "Where the web server listens (default port 3000)."],
  ["LOG_LEVEL", "`trace`, `debug`, `info` (default), `warn`, `error` or `fatal`. No level ever logs a raw key."],
];

const EXAMPLE_CONFIG = `# ${REPO_CONFIG_PATH}
paths:
  ignore:
    - "vendor/**"
    - "**/*.min.js"
allow:
  - fingerprint: 9c1e5f0a2b7d
    reason: Stripe's documented sample key, used in docs/quickstart.md
incidents:
  modes: [live, test, unknown]
  mentions: ["@acme/payments-oncall"]
  assignees: [dana-dev]
check:
  failOn: medium
`;

/** The YAML example in the docs, exported so the docs test can prove it is valid. */
export function exampleRepoConfig(): string {
  return EXAMPLE_CONFIG;
}

export function renderConfigurationDoc(): string {
  return [
    generatedNotice("the zod schemas in src/config"),
    "",
    "# Configuration",
    "",
    "stripe-leak-guard has two kinds of settings, and they never mix:",
    "",
    `- **Repository config**, in \`${REPO_CONFIG_PATH}\`: what is scanned, which keys are accepted, which findings open incidents, ` +
      "how incidents are labelled and assigned, and when the check run fails.",
    "- **The operator's environment**: everything that routes or protects secrets (the fingerprint pepper, key verification, the " +
      "rotation handler and its signing secret, sending the full key). A repository can never set these.",
    "",
    "This page is generated from the zod schemas in `src/config/` by `npm run docs:generate`; a test fails when it is out of date.",
    "",
    "## Repository config",
    "",
    `The App reads \`${REPO_CONFIG_PATH}\` from the repository's default branch. If the repository has none, the same file in the ` +
      "owner's `.github` repository is the organisation-wide default. `_extends: other-repo` (or `owner/repo:path`) builds on another " +
      "file of the **same owner**; extending another owner's file is refused.",
    "",
    "Every field is optional. Unknown keys and bad values are not ignored: the check run and the pull-request summary show a " +
      "**config error** listing each problem, and the scan runs with the defaults below. A bad config never stops a scan.",
    "",
    "Editors that understand JSON Schema can validate the file with [`schema/repo-config.schema.json`](../schema/repo-config.schema.json), " +
      "for example by putting this first line in it:",
    "",
    "```yaml",
    "# yaml-language-server: $schema=https://raw.githubusercontent.com/OWNER/stripe-leak-guard/main/schema/repo-config.schema.json",
    "```",
    "",
    repoConfigReference(),
    "",
    "### The defaults, in full",
    "",
    "A missing file behaves exactly like this one:",
    "",
    "```yaml",
    toYaml(defaultRepoConfig).trimEnd(),
    "```",
    "",
    "### An example",
    "",
    "```yaml",
    EXAMPLE_CONFIG.trimEnd(),
    "```",
    "",
    "## Environment",
    "",
    "Read once at start-up; an invalid value stops the process with one error that lists every problem.",
    "",
    envReference(),
    "",
    "### Probot's own variables",
    "",
    "Probot reads these itself; the App's entry points honour them.",
    "",
    "| Variable | Description |",
    "|---|---|",
    ...PROBOT_VARIABLES.map(([name, description]) => row([`\`${name}\``, description])),
    "",
  ].join("\n");
}
