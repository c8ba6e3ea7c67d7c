import type { Finding, Mode } from "../scanner/index.js";
import { ORG_API_KEYS_URL, STRIPE_DOCS, TOOL_DOCS, dashboardUrl } from "./links.js";
import { code } from "./markdown.js";

/*
 * The incident runbook, following Stripe's own steps for a compromised key
 * (roll with an expiry, replace, check the request logs, delete, review
 * connected accounts and payouts) plus history purging and prevention.
 * Rendered as a task list so responders can tick steps off in the issue.
 */

export type RunbookFinding = Pick<Finding, "kind" | "mode" | "redacted" | "commit">;

interface Step {
  title: string;
  body: string;
}

function taskList(steps: readonly Step[]): string {
  return steps.map((step, index) => `- [ ] **${index + 1}. ${step.title}** ${step.body}`).join("\n");
}

/** "`a1B2`" from "sk_live_…a1B2"; the whole redacted form if it has no ellipsis. */
function lastFour(redacted: string): string {
  const cut = redacted.lastIndexOf("…");
  return code(cut >= 0 ? redacted.slice(cut + 1) : redacted);
}

/** The date the key was committed, when the scan knew the commit. */
function since(finding: RunbookFinding): string {
  const date = finding.commit?.date.slice(0, 10);
  return date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? `since ${date}` : "since the key was committed";
}

function purgeHistory(noun: "key" | "secret"): Step {
  return {
    title: `Purge the ${noun} from git history.`,
    body:
      `Rewrite history with [git filter-repo](${TOOL_DOCS.filterRepo}) (\`git filter-repo --replace-text replacements.txt\`) ` +
      `or [BFG](${TOOL_DOCS.bfg}) (\`bfg --replace-text replacements.txt\`), where \`replacements.txt\`, kept outside the repository ` +
      `and deleted afterwards, holds the full ${noun} followed by \`==>REMOVED\`. Force-push every branch and tag and ask collaborators to re-clone; ` +
      `GitHub's guide to [removing sensitive data](${TOOL_DOCS.removingSensitiveData}) covers cached views and pull-request refs. ` +
      `The ${noun} stays in forks, clones, CI caches and mirrors, so purging is hygiene: **rolling the ${noun} is what makes it safe.**`,
  };
}

const secretManager: Step = {
  title: "Move keys to a secret manager.",
  body:
    "Keep Stripe keys in a secret manager or KMS (your cloud's secret manager, Vault, GitHub Actions secrets for CI) and read them " +
    "from the environment at runtime; keep `.env` files out of git. Turn on GitHub " +
    `[push protection](${TOOL_DOCS.pushProtection}) to stop the next leak before it lands.`,
};

function apiKeyRunbook(finding: RunbookFinding, mode: Exclude<Mode, "unknown">): string {
  const section = finding.kind === "restricted" ? "Restricted keys" : "Standard keys";
  const page = (name: Parameters<typeof dashboardUrl>[1]) => dashboardUrl(mode, name);
  const steps: Step[] = [
    {
      title: "Roll the key.",
      body:
        `On [API keys](${page("apikeys")}), find the key ending in ${lastFour(finding.redacted)} under *${section}*, choose **⋯ → Roll key…** ` +
        "and set an expiration just long enough to deploy its replacement (*now* if you can redeploy at once). " +
        `Stripe shows the new key once: put it straight into your secret manager. ([Stripe: rolling keys](${STRIPE_DOCS.rollingKeys}))`,
    },
    {
      title: "Replace it in your integration.",
      body:
        "Update every place that reads the old key (servers, CI secrets, serverless functions, scripts), deploy, and confirm the new key " +
        `works: its requests show up in the [request logs](${page("logs")}).`,
    },
    {
      title: "Check the request logs for use you don't recognise.",
      body:
        `In [Logs](${page("logs")}), look at requests made with the old key ${since(finding)}: IP addresses, user agents or endpoints ` +
        `you don't recognise, refunds, customer exports, new API keys or webhook endpoints. [Events](${page("events")}) shows what changed.`,
    },
    {
      title: "Delete the old key.",
      body:
        `If the old key is still listed on [API keys](${page("apikeys")}) (its expiration has not passed yet), choose **⋯ → Delete key**. ` +
        "Deletion takes effect immediately.",
    },
    {
      title: "Review connected accounts and payouts.",
      body:
        `Look for [connected accounts](${page("connect/accounts/overview")}), [payouts](${page("payouts")}) and bank-account changes ` +
        `you don't recognise, and contact Stripe support if anything looks wrong. ([Stripe: compromised keys](${STRIPE_DOCS.compromisedKeys}))` +
        (mode === "test" ? " Test mode holds test data only; check whether the live key was stored the same way." : ""),
    },
    purgeHistory("key"),
    secretManager,
    {
      title: "Prefer restricted keys and IP allowlists.",
      body:
        `Give each service a [restricted key](${STRIPE_DOCS.restrictedKeys}) with only the permissions it needs, and limit live keys ` +
        `to your servers' IP addresses (API keys → **⋯ → Manage IP restrictions**). See Stripe's [best practices](${STRIPE_DOCS.bestPractices}).`,
    },
  ];
  const intro =
    mode === "test"
      ? "This is a **test-mode** key: it cannot move real money, but it exposes test data and account settings, and a test key in the " +
        "code often means its live counterpart is kept the same way. The links below open test mode; if the key belongs to a sandbox, " +
        "use that sandbox's API keys page.\n\n"
      : "";
  return `${intro}${taskList(steps)}`;
}

function orgKeyRunbook(finding: RunbookFinding, mode: Exclude<Mode, "unknown">): string {
  const steps: Step[] = [
    {
      title: "Roll the key.",
      body:
        `On your organization's [API keys](${ORG_API_KEYS_URL}) tab, find the key ending in ${lastFour(finding.redacted)}, choose ` +
        "**⋯ → Roll key…** and set an expiration just long enough to deploy its replacement. Organization keys reach every account in " +
        `the organization. ([Stripe: organization keys](${STRIPE_DOCS.organizationKeys}))`,
    },
    {
      title: "Replace it in your integration.",
      body: "Update every place that reads the old key, deploy, and confirm requests with the new key succeed.",
    },
    {
      title: "Check the request logs for use you don't recognise.",
      body:
        "Each request names its account in the `Stripe-Context` header, so check the [request logs](" +
        `${dashboardUrl(mode, "logs")}) of every account in the organization ${since(finding)}.`,
    },
    {
      title: "Delete the old key.",
      body: `If the old key is still listed on the organization's [API keys](${ORG_API_KEYS_URL}) tab, choose **⋯ → Delete key**.`,
    },
    {
      title: "Review connected accounts and payouts.",
      body:
        `In each account, look for [connected accounts](${dashboardUrl(mode, "connect/accounts/overview")}) and ` +
        `[payouts](${dashboardUrl(mode, "payouts")}) you don't recognise, and contact Stripe support if anything looks wrong.`,
    },
    purgeHistory("key"),
    secretManager,
    {
      title: "Prefer restricted keys and IP allowlists.",
      body:
        "Restrict the replacement's permissions to what it needs, prefer an account-level " +
        `[restricted key](${STRIPE_DOCS.restrictedKeys}) where one account is enough, and limit keys to your servers' IP addresses.`,
    },
  ];
  return taskList(steps);
}

function webhookSecretRunbook(finding: RunbookFinding): string {
  const steps: Step[] = [
    {
      title: "Roll the endpoint's signing secret.",
      body:
        `Dashboard → Developers → [Webhooks](${dashboardUrl("live", "webhooks")}) (test mode: [Webhooks](${dashboardUrl("test", "webhooks")})) ` +
        `→ the endpoint whose signing secret ends in ${lastFour(finding.redacted)} → **Roll secret**. Keep the old secret valid only as ` +
        "long as it takes to deploy the new one; meanwhile Stripe signs each event with both.",
    },
    {
      title: "Update `STRIPE_WEBHOOK_SECRET`.",
      body: "Put the new secret wherever the endpoint reads it (often `STRIPE_WEBHOOK_SECRET`) in every environment, and deploy.",
    },
    {
      title: "Verify deliveries.",
      body:
        "On the endpoint's page, check that new event deliveries succeed (2xx) and that signatures verify, for example by sending a test event.",
    },
    {
      title: "Look for forged events.",
      body:
        `Anyone with the old secret could send your endpoint events that pass the signature check. Compare what it processed ${since(finding)} ` +
        `(orders fulfilled, subscriptions activated, balances credited) with the [Events](${dashboardUrl("live", "events")}) list ` +
        `([test mode](${dashboardUrl("test", "events")})): ` +
        "an event Stripe has no record of was forged.",
    },
    purgeHistory("secret"),
    secretManager,
    {
      title: "Harden the endpoint.",
      body:
        "Verify signatures with Stripe's official library and its timestamp tolerance, and before a sensitive action retrieve the event " +
        `or object from the API, so a forged payload alone cannot trigger it. ([Stripe: webhooks](${STRIPE_DOCS.webhooks}))`,
    },
  ];
  return taskList(steps);
}

function publishableKeyNote(): string {
  return [
    "Publishable keys identify your account to Stripe.js and the mobile SDKs and are meant to be public: on their own they cannot",
    `read your data or move money, so there is nothing to roll. ([Stripe: API keys](${STRIPE_DOCS.publishableKeys}))`,
    "",
    "- Check that it is the mode you intend: a test key in production breaks checkout.",
    "- Check that no secret or restricted key is committed next to it.",
  ].join("\n");
}

/** The runbook for one finding's kind and mode, as Markdown. */
export function renderRunbook(finding: RunbookFinding): string {
  switch (finding.kind) {
    case "publishable":
      return publishableKeyNote();
    case "webhook-secret":
      return webhookSecretRunbook(finding);
    case "org-secret":
      return orgKeyRunbook(finding, finding.mode === "test" ? "test" : "live");
    case "secret":
    case "restricted":
      return apiKeyRunbook(finding, finding.mode === "test" ? "test" : "live");
  }
}
