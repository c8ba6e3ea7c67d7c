import { z } from "zod";
import { DEFAULT_PEPPER, EnvError, MIN_PEPPER_LENGTH, PEPPER_TOO_SHORT } from "./pepper.js";

export { DEFAULT_PEPPER, EnvError };

/*
 * The operator's environment: the only source of settings that route secrets
 * (pepper, rotation endpoint and secret, sending the full key). Repo config can
 * never set any of these. Probot's own variables (APP_ID, PRIVATE_KEY,
 * WEBHOOK_SECRET, GHE_HOST, GHE_PROTOCOL, LOG_LEVEL, HOST, PORT) are read by
 * Probot and listed in docs/configuration.md.
 */

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

function commaList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export const envSchema = z.object({
  STRIPE_LEAK_GUARD_PEPPER: z
    .string()
    .min(MIN_PEPPER_LENGTH, PEPPER_TOO_SHORT)
    .optional()
    .describe("Key for the fingerprint HMAC. Set a long random value and keep it; changing it changes every fingerprint."),
  REDIS_URL: z
    .string()
    .url()
    .optional()
    .describe("Redis for BullMQ (redis://host:6379/0). Unset: the server runs every job in its own process."),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "QUEUE_PREFIX may hold only A-Z a-z 0-9 _ . - (at most 64)")
    .optional()
    .describe("Prefix of every Redis key the queue stores (default slg); give each deployment sharing a Redis its own."),
  WORKER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe("Jobs one worker process runs at the same time, per queue (default 4)."),
  GITHUB_WRITES_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(80)
    .optional()
    .describe("Content-creating GitHub requests per installation per minute, across all workers (default and GitHub's limit: 80)."),
  GITHUB_WRITES_PER_HOUR: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .optional()
    .describe("Content-creating GitHub requests per installation per hour, across all workers (default and GitHub's limit: 500)."),
  STRIPE_VERIFY_KEYS: flag.describe("Check found keys with Stripe while they are in memory during the scan."),
  STRIPE_API_URL: z
    .string()
    .url()
    .optional()
    .describe("Where keys are verified; default Stripe's API. Only for stripe-mock or a test stand-in: keys are sent there."),
  ROTATION_HANDLER_URL: z
    .string()
    .url()
    .optional()
    .describe("HTTPS endpoint of the operator's rotation handler (see docs/rotation-handlers.md). http:// is refused."),
  ROTATION_HANDLER_SECRET: z
    .string()
    .min(16, "ROTATION_HANDLER_SECRET must be at least 16 characters")
    .optional()
    .describe("Signs every rotation request (Stripe-Leak-Guard-Signature). Required with ROTATION_HANDLER_URL."),
  ROTATION_HANDLER_MODULE: z
    .string()
    .min(1)
    .optional()
    .describe("Path of a module exporting rotate(request), run in the worker instead of calling a URL."),
  ROTATION_ALLOWED_HOSTS: z
    .string()
    .optional()
    .transform(commaList)
    .describe("Comma-separated hosts, IPs or CIDRs the rotation handler may use even when private, loopback or link-local."),
  ROTATION_HANDLER_CA_FILE: z
    .string()
    .min(1)
    .optional()
    .describe("PEM file of extra CA certificates trusted for the rotation handler (an internal CA)."),
  AUTO_ROTATE_KINDS: z
    .string()
    .optional()
    .transform(commaList)
    .pipe(z.array(z.enum(["secret", "restricted", "org-secret", "webhook-secret", "publishable"])))
    .describe("Comma-separated key kinds whose new incidents call the rotation handler automatically, e.g. secret,restricted."),
  ROTATION_SEND_SECRET: flag.describe("Include the raw key in rotation requests (read from GitHub at call time; never queued)."),
  ROTATION_DRY_RUN: flag.describe("Comment what would be sent to the rotation handler, and send nothing."),
  ADMIN_USER: z
    .string()
    .optional()
    .describe("With ADMIN_PASSWORD: turns on the queue dashboard at /admin/queues behind HTTP Basic. Unset: no dashboard."),
  ADMIN_PASSWORD: z
    .string()
    .optional()
    .describe("Password for ADMIN_USER (compared in constant time). Use a long random value."),
  ADMIN_TOKEN: z
    .string()
    .optional()
    .describe("Alternative to ADMIN_USER/ADMIN_PASSWORD: the dashboard accepts Authorization: Bearer <token>."),
  METRICS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .optional()
    .describe("Port of a worker's /healthz, /readyz and /metrics (default 9464). The server serves them on PORT."),
  BACKFILL_REPOS_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(600)
    .optional()
    .describe("Repositories (one tarball request each) the installation backfill fetches per installation per minute, across all workers (default 20)."),
  BACKFILL_REPOS_PER_HOUR: z.coerce
    .number()
    .int()
    .min(1)
    .max(10000)
    .optional()
    .describe("The same, per hour (default 1000)."),
  BACKFILL_RATE_LIMIT_RESERVE_PERCENT: z.coerce
    .number()
    .min(0)
    .max(90)
    .optional()
    .describe("Share of an installation's GitHub rate limit kept for live events: below it the backfill pauses until the limit resets (default 20)."),
  SWEEP_EVERY_MINUTES: z.coerce
    .number()
    .min(0)
    .max(1440)
    .optional()
    .describe("How often workers ask GitHub to redeliver failed webhook deliveries (default 5; 0 turns the sweeper off)."),
  ALERT_CHANNELS: z
    .string()
    .optional()
    .describe(
      "Alert channels, comma-separated name=type:url, type slack or webhook, e.g. security=slack:https://hooks.slack.com/services/…,siem=webhook:https://siem.example.com/slg. " +
        "A webhook channel's signing secret goes in ALERT_CHANNEL_SIEM_SECRET for siem (the name upper-cased, - as _), at least 16 characters. See docs/alerts-and-reports.md.",
    ),
  ALERT_DEFAULT_CHANNELS: z
    .string()
    .optional()
    .describe("Comma-separated channel names that get a repository's alerts when its config (alerts.channels) names none."),
  ALERT_ALLOWED_HOSTS: z
    .string()
    .optional()
    .describe("Comma-separated hosts, IPs or CIDRs alert channels may use even when private, loopback or link-local."),
  ALERT_CA_FILE: z.string().min(1).optional().describe("PEM file of extra CA certificates trusted for alert channels (an internal CA)."),
  REPORT_ISSUE: z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .describe("Keep a pinned report issue in each owner's private or internal .github repository, refreshed after incidents change."),
  REPORT_INTERVAL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1440)
    .optional()
    .describe("Incident changes within this many minutes make one refresh of the report issue (default 10)."),
});

export type Env = z.infer<typeof envSchema>;

/** Parse the environment; invalid values throw one error listing every problem. */
export function readEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new EnvError(`invalid environment:\n${lines.join("\n")}`);
}

export function pepperFrom(env: Env): string {
  return env.STRIPE_LEAK_GUARD_PEPPER ?? DEFAULT_PEPPER;
}
