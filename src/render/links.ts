import type { Mode } from "../scanner/index.js";
import type { RepoView } from "./types.js";

/*
 * Every URL the renderers print. Repository links are permalinks (pinned to a
 * commit sha) so they keep pointing at the leak after the branch moves on.
 */

function base(repo: RepoView): string {
  return repo.htmlUrl.replace(/\/+$/, "");
}

/** Each path segment percent-encoded; the slashes between them kept. */
export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

export function commitUrl(repo: RepoView, sha: string): string {
  return `${base(repo)}/commit/${sha}`;
}

export function blobUrl(repo: RepoView, sha: string, path: string, line: number): string {
  return `${base(repo)}/blob/${sha}/${encodePath(path)}#L${line}`;
}

export function issueUrl(repo: RepoView, issueNumber: number): string {
  return `${base(repo)}/issues/${issueNumber}`;
}

export function pullUrl(repo: RepoView, prNumber: number): string {
  return `${base(repo)}/pull/${prNumber}`;
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

const DASHBOARD = "https://dashboard.stripe.com";

export type DashboardPage = "apikeys" | "logs" | "events" | "connect/accounts/overview" | "payouts" | "webhooks";

/** A Dashboard page in the key's own mode. Unknown mode gets live links: that is where the harm is. */
export function dashboardUrl(mode: Mode, page: DashboardPage): string {
  return mode === "test" ? `${DASHBOARD}/test/${page}` : `${DASHBOARD}/${page}`;
}

/** Organization keys (sk_org_) live on the organization's own API keys tab. */
export const ORG_API_KEYS_URL = `${DASHBOARD}/org/api-keys/secret`;

export const STRIPE_DOCS = {
  compromisedKeys: "https://support.stripe.com/questions/protecting-against-compromised-api-keys",
  rollingKeys: "https://docs.stripe.com/keys#rolling-keys",
  bestPractices: "https://docs.stripe.com/keys-best-practices",
  restrictedKeys: "https://docs.stripe.com/keys/restricted-api-keys",
  organizationKeys: "https://docs.stripe.com/keys/organization-api-keys",
  webhooks: "https://docs.stripe.com/webhooks",
  publishableKeys: "https://docs.stripe.com/keys#obtain-api-keys",
} as const;

export const TOOL_DOCS = {
  filterRepo: "https://github.com/newren/git-filter-repo",
  bfg: "https://rtyley.github.io/bfg-repo-cleaner/",
  removingSensitiveData:
    "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository",
  pushProtection: "https://docs.github.com/en/code-security/secret-scanning/introduction/about-push-protection",
} as const;
