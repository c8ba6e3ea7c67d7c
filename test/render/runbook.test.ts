import { describe, expect, it } from "vitest";
import { renderRunbook } from "../../src/render/runbook.js";
import { makeFinding } from "./fixtures.js";

function taskItems(markdown: string): string[] {
  return markdown.split("\n").filter((line) => line.startsWith("- [ ] "));
}

function dashboardLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\((https:\/\/dashboard\.stripe\.com\/[^)\s]*)\)/g)].map((match) => match[1] ?? "");
}

describe("runbook for a live secret key", () => {
  const runbook = renderRunbook(makeFinding({ kind: "secret", mode: "live", commit: { sha: "abc", author: "A", date: "2026-11-20T10:00:00Z" } }));
  const steps = taskItems(runbook);

  it("has Stripe's eight steps in order, as a task list", () => {
    expect(steps).toHaveLength(8);
    const titles = steps.map((step) => /\*\*\d+\. ([^*]+)\*\*/.exec(step)?.[1]);
    expect(titles).toEqual([
      "Roll the key.",
      "Replace it in your integration.",
      "Check the request logs for use you don't recognise.",
      "Delete the old key.",
      "Review connected accounts and payouts.",
      "Purge the key from git history.",
      "Move keys to a secret manager.",
      "Prefer restricted keys and IP allowlists.",
    ]);
  });

  it("rolls with an expiry long enough to deploy the replacement, naming the key's last four characters", () => {
    expect(steps[0]).toContain("Roll key");
    expect(steps[0]).toContain("expiration just long enough to deploy its replacement");
    expect(steps[0]).toContain("`a1B2`");
    expect(steps[0]).toContain("*Standard keys*");
  });

  it("deep-links the live Dashboard pages and never test mode", () => {
    const links = dashboardLinks(runbook);
    for (const page of ["apikeys", "logs", "connect/accounts/overview", "payouts"]) {
      expect(links).toContain(`https://dashboard.stripe.com/${page}`);
    }
    expect(links.some((link) => link.includes("/test/"))).toBe(false);
  });

  it("checks the logs since the commit date", () => {
    expect(steps[2]).toContain("since 2026-11-20");
  });

  it("says purging is not enough: forks and caches keep the key, rolling makes it safe", () => {
    expect(steps[5]).toMatch(/filter-repo/);
    expect(steps[5]).toMatch(/BFG/);
    expect(steps[5]).toMatch(/forks/);
    expect(steps[5]).toMatch(/caches/);
    expect(steps[5]).toMatch(/rolling the key is what makes it safe/);
  });
});

describe("runbook variants", () => {
  it("points restricted keys at the Restricted keys section", () => {
    expect(renderRunbook(makeFinding({ kind: "restricted", mode: "live" }))).toContain("*Restricted keys*");
  });

  it("gives test keys the test-mode pages only", () => {
    const runbook = renderRunbook(makeFinding({ kind: "secret", mode: "test" }));
    expect(runbook).toMatch(/test-mode/);
    expect(taskItems(runbook)).toHaveLength(8);
    const links = dashboardLinks(runbook);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link).toMatch(/^https:\/\/dashboard\.stripe\.com\/test\//);
    expect(links).toContain("https://dashboard.stripe.com/test/apikeys");
    expect(links).toContain("https://dashboard.stripe.com/test/payouts");
  });

  it("rolls a webhook signing secret on its endpoint and checks deliveries", () => {
    const runbook = renderRunbook(makeFinding({ kind: "webhook-secret", redacted: "whsec_…9fKe" }));
    const steps = taskItems(runbook);
    expect(steps[0]).toContain("Roll secret");
    expect(steps[0]).toContain("https://dashboard.stripe.com/webhooks");
    expect(steps[0]).toContain("https://dashboard.stripe.com/test/webhooks");
    expect(steps[0]).toContain("`9fKe`");
    expect(runbook).toContain("STRIPE_WEBHOOK_SECRET");
    expect(runbook).toMatch(/Verify deliveries/);
    expect(runbook).toMatch(/forged/);
    expect(runbook).toMatch(/rolling the secret is what makes it safe/);
    expect(runbook).not.toContain("/apikeys");
  });

  it("sends organization keys to the organization's API keys page", () => {
    const runbook = renderRunbook(makeFinding({ kind: "org-secret", mode: "live" }));
    expect(taskItems(runbook)).toHaveLength(8);
    expect(runbook).toContain("https://dashboard.stripe.com/org/api-keys/secret");
    expect(runbook).not.toContain("(https://dashboard.stripe.com/apikeys)");
  });

  it("keeps a sandbox organization key's account pages in test mode", () => {
    const runbook = renderRunbook(makeFinding({ kind: "org-secret", mode: "test" }));
    expect(runbook).toContain("https://dashboard.stripe.com/org/api-keys/secret");
    expect(runbook).toContain("https://dashboard.stripe.com/test/logs");
    expect(runbook).not.toContain("(https://dashboard.stripe.com/logs)");
  });

  it("treats publishable keys as information, with nothing to roll", () => {
    const runbook = renderRunbook(makeFinding({ kind: "publishable", mode: "live" }));
    expect(taskItems(runbook)).toHaveLength(0);
    expect(runbook).toMatch(/meant to be public/);
    expect(runbook).toMatch(/nothing to roll/);
  });

  it("falls back to the key's redacted form when it has no ellipsis", () => {
    expect(renderRunbook(makeFinding({ redacted: "sk_live_redacted" }))).toContain("`sk_live_redacted`");
  });
});
