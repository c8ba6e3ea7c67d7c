/*
 * The operator's alert channels, from the environment only: a repository can
 * name a channel (alerts.channels) but never define one, so no repo config
 * can send an incident anywhere the operator did not choose.
 *
 *   ALERT_CHANNELS="security=slack:https://hooks.slack.com/services/T0/B0/XX,siem=webhook:https://siem.example.com/slg"
 *   ALERT_CHANNEL_SIEM_SECRET=<at least 16 characters>   (signs every request to "siem")
 *   ALERT_DEFAULT_CHANNELS=security                      (for repositories whose config names none)
 *
 * A bad entry is left out and described in `problems`; the other channels
 * still work. Messages name a channel's origin only: a Slack webhook URL is
 * itself a credential.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { createAddressPolicy, type AddressPolicy } from "../rotation/address-policy.js";
import { originOf } from "../rotation/https-handler.js";

export type ChannelType = "slack" | "webhook";

export interface AlertChannel {
  name: string;
  type: ChannelType;
  url: string;
  /** For logs and messages: scheme, host and port, never the path (it may hold a token). */
  origin: string;
  /** Webhook channels only: signs each request like the rotation calls. */
  secret?: string;
}

export interface AlertSettings {
  channels: ReadonlyMap<string, AlertChannel>;
  /** Channels for repositories whose config names none (ALERT_DEFAULT_CHANNELS). */
  defaults: readonly string[];
  /** What is wrong with the operator's settings, for the startup log. */
  problems: readonly string[];
  policy: AddressPolicy;
  /** Extra trusted CA certificates (PEM), from ALERT_CA_FILE. */
  ca?: string;
  timeoutMs: number;
  /** Attempts inside one job before it is handed back to the queue's backoff. */
  attempts: number;
  baseDelayMs: number;
}

export interface AlertSettingsOverrides {
  timeoutMs?: number;
  attempts?: number;
  baseDelayMs?: number;
}

export const DEFAULT_ALERT_TIMEOUT_MS = 10_000;
const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const ENTRY = /^([^=\s]+)=([A-Za-z]+):(.+)$/;

const httpsUrl = z
  .string()
  .refine((value) => URL.canParse(value), "is not a URL")
  .refine((value) => !URL.canParse(value) || new URL(value).protocol === "https:", "must be https:// (alerts are never sent in clear text)");

const channelSchema = z.discriminatedUnion("type", [
  z.object({ name: z.string().regex(NAME), type: z.literal("slack"), url: httpsUrl }),
  z.object({
    name: z.string().regex(NAME),
    type: z.literal("webhook"),
    url: httpsUrl,
    secret: z.string({ error: "needs its signing secret" }).min(16, "its signing secret must be at least 16 characters"),
  }),
]);

/** ALERT_CHANNEL_<NAME>_SECRET, with the name upper-cased and "-" turned into "_". */
export function secretVariable(name: string): string {
  return `ALERT_CHANNEL_${name.toUpperCase().replaceAll("-", "_")}_SECRET`;
}

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function alertSettingsFrom(env: Record<string, string | undefined>, overrides: AlertSettingsOverrides = {}): AlertSettings {
  const problems: string[] = [];
  const channels = new Map<string, AlertChannel>();
  list(env.ALERT_CHANNELS).forEach((entry, index) => {
    const where = `ALERT_CHANNELS entry ${index + 1}`;
    const match = ENTRY.exec(entry);
    if (!match?.[1] || !match[2] || !match[3]) {
      problems.push(`${where} is not name=type:url (a URL holding a comma must write it as %2C)`);
      return;
    }
    const [, rawName, rawType, url] = match;
    const name = rawName.toLowerCase();
    const type = rawType.toLowerCase();
    const label = `${where} (${name})`;
    if (type !== "slack" && type !== "webhook") {
      problems.push(`${label}: unknown type "${type}"; use slack or webhook`);
      return;
    }
    if (channels.has(name)) {
      problems.push(`${label}: the name is defined twice; the first definition is used`);
      return;
    }
    const secret = env[secretVariable(name)];
    const parsed = channelSchema.safeParse({ name, type, url, ...(type === "webhook" && secret !== undefined ? { secret } : {}) });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? "");
        if (field === "name") problems.push(`${label}: a name is 1-32 characters of a-z 0-9 _ -, starting with a letter or digit`);
        else if (field === "secret") problems.push(`${label}: ${secretVariable(name)} ${issue.message === "needs its signing secret" ? "is not set; webhook alerts are never sent unsigned" : issue.message.replace(/^its signing secret /, "")}`);
        else problems.push(`${label}: the URL (${originOf(url)}) ${issue.message}`);
      }
      return;
    }
    channels.set(name, { ...parsed.data, origin: originOf(parsed.data.url) });
  });

  const defaults = list(env.ALERT_DEFAULT_CHANNELS).map((name) => name.toLowerCase());
  for (const name of defaults) {
    if (!channels.has(name)) problems.push(`ALERT_DEFAULT_CHANNELS names "${name}", which ALERT_CHANNELS does not define`);
  }

  let ca: string | undefined;
  if (env.ALERT_CA_FILE) {
    try {
      ca = readFileSync(env.ALERT_CA_FILE, "utf8");
    } catch {
      problems.push("ALERT_CA_FILE could not be read; only the public CAs are trusted");
    }
  }

  const base = createAddressPolicy(list(env.ALERT_ALLOWED_HOSTS));
  const policy: AddressPolicy = {
    refusal: (hostname, address) => base.refusal(hostname, address)?.replace("ROTATION_ALLOWED_HOSTS", "ALERT_ALLOWED_HOSTS"),
  };
  return {
    channels,
    defaults: defaults.filter((name) => channels.has(name)),
    problems,
    policy,
    ...(ca ? { ca } : {}),
    timeoutMs: overrides.timeoutMs ?? DEFAULT_ALERT_TIMEOUT_MS,
    attempts: overrides.attempts ?? 2,
    baseDelayMs: overrides.baseDelayMs ?? 1_000,
  };
}

let current: AlertSettings | undefined;

/** The process's settings, read from its environment on first use (importing this module has no side effects). */
export function alertSettings(): AlertSettings {
  current ??= alertSettingsFrom(process.env);
  return current;
}

/** For the server, the worker and tests: use these settings instead of reading the environment. */
export function useAlertSettings(settings: AlertSettings | undefined): void {
  current = settings;
}

/** For the server's and the worker's start-up: each problem with the operator's alert settings, once, as a warning. */
export function warnAboutAlertSettings(log: { warn: (message: string) => void }): void {
  for (const problem of alertSettings().problems) log.warn(`alert settings: ${problem}`);
}
