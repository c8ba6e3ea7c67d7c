import { z } from "zod";
import { SEVERITIES } from "../scanner/types.js";

/*
 * The repository config, `.github/stripe-leak-guard.yml` (org default in the
 * owner's `.github` repository). This schema is the single source of the
 * defaults, of docs/configuration.md and of schema/repo-config.schema.json.
 *
 * It is closed (strict) on purpose: settings that route secrets (rotation
 * endpoint, signing secrets, pepper, sending the full key) exist only in the
 * operator's environment, and an unknown key is reported, never obeyed.
 */

const KIND = z.enum(["secret", "restricted", "org-secret", "webhook-secret", "publishable"]);
const SEVERITY = z.enum(SEVERITIES);

export const allowEntrySchema = z
  .strictObject({
    fingerprint: z
      .string()
      .regex(/^[0-9a-f]{12,64}$/, "a fingerprint is 12 to 64 lowercase hex characters, as shown on the incident")
      .describe("The key's fingerprint, as shown on its incident issue or in the CLI's output (a prefix of 12 or more characters is enough)."),
    reason: z.string().min(1).describe("Why this key may stay: shown on every finding it silences."),
  })
  .describe("A key that is known and accepted.");

export const repoConfigSchema = z
  .strictObject({
    paths: z
      .strictObject({
        ignore: z
          .array(z.string().min(1))
          .default([])
          .describe("Glob patterns (picomatch, matched against the repository-relative path) whose files are not scanned."),
      })
      .prefault({})
      .describe("Which files are scanned."),
    allow: z
      .array(allowEntrySchema)
      .default([])
      .describe("Fingerprints of keys that are accepted, each with a reason. Live secret and restricted keys are still reported, as allowed."),
    incidents: z
      .strictObject({
        kinds: z
          .array(KIND)
          .default(["secret", "restricted", "org-secret", "webhook-secret"])
          .describe("Kinds of key that open an incident issue. Other kinds are only commented on."),
        modes: z
          .array(z.enum(["live", "test", "unknown"]))
          .default(["live", "unknown"])
          .describe("Modes that open an incident issue. Test keys are commented on, not raised as incidents, unless listed here."),
        labels: z.array(z.string().min(1)).default(["stripe-leak"]).describe("Labels added to every incident issue, besides the kind and severity labels."),
        assignees: z.array(z.string().min(1)).default([]).describe("GitHub logins assigned to every incident issue."),
        mentions: z.array(z.string().min(1)).default([]).describe("Users or teams (@org/team) mentioned in every new incident issue."),
        closeWhenInactive: z
          .boolean()
          .default(false)
          .describe("Close the incident when Stripe confirms the key is inactive after a rotation."),
      })
      .prefault({})
      .describe("Which findings open incident issues, and how those issues are labelled and assigned."),
    check: z
      .strictObject({
        failOn: SEVERITY.default("high").describe("The lowest severity that makes the check run fail. Below it, findings give a neutral conclusion."),
      })
      .prefault({})
      .describe("The pull-request check run."),
    comments: z
      .strictObject({
        summary: z.boolean().default(true).describe("Post (and keep editing) one summary comment per pull request."),
        inline: z.boolean().default(true).describe("Post an inline review comment on each line that adds a key."),
      })
      .prefault({})
      .describe("Pull-request comments."),
    alerts: z
      .strictObject({
        channels: z
          .array(z.string().min(1))
          .default([])
          .describe("Names of alert channels the operator defined (ALERT_CHANNELS); unknown names are reported."),
      })
      .prefault({})
      .describe("Where incident alerts go. Channels, their URLs and secrets are defined by the operator only."),
  })
  .describe("stripe-leak-guard repository configuration (.github/stripe-leak-guard.yml).");

export type RepoConfig = z.infer<typeof repoConfigSchema>;
export type AllowEntry = z.infer<typeof allowEntrySchema>;

export const REPO_CONFIG_PATH = ".github/stripe-leak-guard.yml";

/** The defaults, derived from the schema itself (`prefault` runs each section's own defaults). */
export const defaultRepoConfig: RepoConfig = repoConfigSchema.parse({});

export interface ConfigResult {
  config: RepoConfig;
  /** Human-readable problems; when present, `config` is the defaults. */
  errors: string[];
}

/** Validate already-parsed YAML. Bad config yields the defaults plus clear errors; it never throws. */
export function parseRepoConfig(raw: unknown): ConfigResult {
  if (raw === null || raw === undefined) return { config: defaultRepoConfig, errors: [] };
  const result = repoConfigSchema.safeParse(raw);
  if (result.success) return { config: result.data, errors: [] };
  const errors = result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    return `${where}: ${issue.message}`;
  });
  return { config: defaultRepoConfig, errors };
}
