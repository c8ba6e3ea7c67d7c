/**
 * Settings that point alert channels at the local HTTPS stand-in (the
 * rotation tests' HandlerStandIn on 127.0.0.1, with a certificate made at
 * runtime), allowed and trusted the way an operator would do it:
 * ALERT_ALLOWED_HOSTS and ALERT_CA_FILE.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { alertSettingsFrom, type AlertSettings, type AlertSettingsOverrides } from "../../src/alerts/settings.js";
import { selfSignedCertificate } from "../rotation/helpers/handler-stand-in.js";

export const WEBHOOK_SECRET = "alert-webhook-secret-for-tests";

export function standInSettings(port: number, overrides: AlertSettingsOverrides = {}, extraEnv: Record<string, string> = {}): AlertSettings {
  const dir = mkdtempSync(join(tmpdir(), "slg-alert-ca-"));
  try {
    const caFile = join(dir, "ca.pem");
    writeFileSync(caFile, selfSignedCertificate().cert);
    return alertSettingsFrom(
      {
        ALERT_CHANNELS: `siem=webhook:https://127.0.0.1:${port}/hooks/slg,chat=slack:https://127.0.0.1:${port}/services/T0/B0/chat-token`,
        ALERT_CHANNEL_SIEM_SECRET: WEBHOOK_SECRET,
        ALERT_ALLOWED_HOSTS: "127.0.0.1",
        ALERT_CA_FILE: caFile,
        ...extraEnv,
      },
      { timeoutMs: 1_000, ...overrides },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
