/** Least privilege: app.yml asks for exactly these permissions and events, nothing more. */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const manifest = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8")) as {
  default_permissions: Record<string, string>;
  default_events: string[];
};

describe("app.yml", () => {
  it("requests exactly metadata read, contents read, issues write, pull requests write and checks write", () => {
    expect(manifest.default_permissions).toStrictEqual({
      metadata: "read",
      contents: "read",
      issues: "write",
      pull_requests: "write",
      checks: "write",
    });
  });

  it("subscribes to exactly the events the App handles", () => {
    expect([...manifest.default_events].sort()).toStrictEqual(["installation", "installation_repositories", "issue_comment", "pull_request", "push"]);
  });
});
