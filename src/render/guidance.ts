import type { Finding, KeyKind, Mode } from "../scanner/index.js";
import { ORG_API_KEYS_URL, dashboardUrl } from "./links.js";

/*
 * What a key is called and the two or three sentences a reviewer needs,
 * shared by the inline comment, the check-run annotation and the PR summary
 * so the advice never drifts between them.
 */

const KIND_NOUN: Record<KeyKind, string> = {
  secret: "secret key",
  restricted: "restricted key",
  "org-secret": "organization secret key",
  "webhook-secret": "webhook signing secret",
  publishable: "publishable key",
};

const MODE_WORD: Record<Mode, string> = { live: "live", test: "test", unknown: "" };

/** "live secret key", "webhook signing secret" (their mode is not in the key). */
export function describeKey(finding: Pick<Finding, "kind" | "mode">): string {
  const mode = MODE_WORD[finding.mode];
  return mode ? `${mode} ${KIND_NOUN[finding.kind]}` : KIND_NOUN[finding.kind];
}

export function kindNoun(kind: KeyKind): string {
  return KIND_NOUN[kind];
}

export type TextFormat = "markdown" | "plain";

function linkIn(format: TextFormat, label: string, url: string): string {
  return format === "markdown" ? `[${label}](${url})` : `${label} (${url})`;
}

const HISTORY = "Deleting the line is not enough: the key stays in the git history and in every clone.";

/** Short, kind- and mode-specific advice. Plain text for annotations, Markdown elsewhere. */
export function shortGuidance(finding: Pick<Finding, "kind" | "mode">, format: TextFormat = "markdown"): string {
  const link = (label: string, url: string) => linkIn(format, label, url);
  switch (finding.kind) {
    case "publishable":
      return (
        "Publishable keys are meant to be public (they ship in web pages and apps), so this is for information only. " +
        "Check that it is the mode you intend and that no secret key sits next to it."
      );
    case "webhook-secret":
      return (
        "Anyone holding this secret can forge webhook events that your endpoint will trust. " +
        `Roll it (Dashboard → Developers → ${link("Webhooks", dashboardUrl("live", "webhooks"))} → the endpoint → Roll secret; ` +
        `${link("test-mode endpoints", dashboardUrl("test", "webhooks"))}), update STRIPE_WEBHOOK_SECRET where it is deployed, ` +
        "and read it from the environment instead of the code."
      );
    case "org-secret":
      return (
        "This key reaches every account in your Stripe organization. " +
        `Roll it on the organization's ${link("API keys", ORG_API_KEYS_URL)} page and load its replacement from a secret manager. ${HISTORY}`
      );
    case "secret":
    case "restricted":
      if (finding.mode === "test") {
        return (
          "Test keys cannot move money, but they expose your test data and account settings. " +
          `Roll it on the ${link("test-mode API keys", dashboardUrl("test", "apikeys"))} page and read it from the environment instead of committing it.`
        );
      }
      return (
        `Roll this key on the ${link("API keys", dashboardUrl("live", "apikeys"))} page now, with an expiry just long enough to deploy its replacement, ` +
        `and load the new key from the environment or a secret manager. ${HISTORY}`
      );
  }
}
