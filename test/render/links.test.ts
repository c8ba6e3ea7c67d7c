import { describe, expect, it } from "vitest";
import { blobUrl, commitUrl, dashboardUrl, encodePath, issueUrl, ORG_API_KEYS_URL } from "../../src/render/links.js";
import { SHA, repo } from "./fixtures.js";

describe("repository permalinks", () => {
  it("pins commit and line links to the sha", () => {
    expect(commitUrl(repo, SHA)).toBe(`https://github.com/octo/shop/commit/${SHA}`);
    expect(blobUrl(repo, SHA, "config/stripe.rb", 7)).toBe(`https://github.com/octo/shop/blob/${SHA}/config/stripe.rb#L7`);
    expect(issueUrl(repo, 12)).toBe("https://github.com/octo/shop/issues/12");
  });

  it("encodes each path segment but keeps the slashes", () => {
    expect(encodePath("docs/my file#1?.md")).toBe("docs/my%20file%231%3F.md");
    expect(blobUrl(repo, SHA, "a b/ü.txt", 3)).toBe(`https://github.com/octo/shop/blob/${SHA}/a%20b/%C3%BC.txt#L3`);
  });

  it("works for GitHub Enterprise Server and tolerates a trailing slash", () => {
    const ghes = { owner: "o", repo: "r", htmlUrl: "https://ghe.example.com/o/r/" };
    expect(commitUrl(ghes, SHA)).toBe(`https://ghe.example.com/o/r/commit/${SHA}`);
  });
});

describe("Stripe Dashboard links", () => {
  it("uses the live pages for live and unknown mode, and /test/ for test mode", () => {
    expect(dashboardUrl("live", "apikeys")).toBe("https://dashboard.stripe.com/apikeys");
    expect(dashboardUrl("unknown", "logs")).toBe("https://dashboard.stripe.com/logs");
    expect(dashboardUrl("test", "connect/accounts/overview")).toBe("https://dashboard.stripe.com/test/connect/accounts/overview");
    expect(dashboardUrl("test", "payouts")).toBe("https://dashboard.stripe.com/test/payouts");
  });

  it("points organization keys at the organization's API keys tab", () => {
    expect(ORG_API_KEYS_URL).toBe("https://dashboard.stripe.com/org/api-keys/secret");
  });
});
