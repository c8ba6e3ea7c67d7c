import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/commands/index.js";
import { renderResolution } from "../../src/commands/resolution.js";
import { parseRecordedLocations } from "../../src/github/incident-links.js";

describe("parseCommand", () => {
  it("reads the three commands, case-insensitively, anywhere on their own line", () => {
    expect(parseCommand("/stripe-leak-guard verify")).toEqual({ name: "verify" });
    expect(parseCommand("Thanks!\n\n/Stripe-Leak-Guard ROTATE\n")).toEqual({ name: "rotate" });
    expect(parseCommand("/stripe-leak-guard resolve false-positive")).toEqual({ name: "resolve", resolution: "false-positive" });
    expect(parseCommand("  /stripe-leak-guard resolve used-in-tests  ")).toEqual({ name: "resolve", resolution: "used-in-tests" });
  });

  it("ignores comments without the command, quoted commands and commands in code", () => {
    expect(parseCommand("looks bad")).toBeUndefined();
    expect(parseCommand("> /stripe-leak-guard rotate\n\nagreed")).toBeUndefined();
    expect(parseCommand("```\n/stripe-leak-guard rotate\n```")).toBeUndefined();
    expect(parseCommand("run /stripe-leak-guard rotate please")).toBeUndefined();
  });

  it("explains a wrong verb or reason", () => {
    expect(parseCommand("/stripe-leak-guard resolve")).toMatchObject({ name: "invalid", problem: expect.stringContaining("needs a reason") });
    expect(parseCommand("/stripe-leak-guard resolve meh")).toMatchObject({ name: "invalid", problem: expect.stringContaining("`meh` is not a resolution") });
    expect(parseCommand("/stripe-leak-guard roll")).toMatchObject({ name: "invalid", problem: "`roll` is not a command" });
    expect(parseCommand("/stripe-leak-guard")).toMatchObject({ name: "invalid" });
  });
});

describe("renderResolution", () => {
  it("gives a false positive the exact allow entry for the repository config", () => {
    const fingerprint = "ab".repeat(32);
    const text = renderResolution({ resolution: "false-positive", login: "alice", fingerprint, issueNumber: 7 });
    expect(text).toContain(".github/stripe-leak-guard.yml");
    expect(text).toContain(["```yaml", "allow:", `  - fingerprint: ${fingerprint}`, '    reason: "false positive (#7, @alice)"', "```"].join("\n"));
  });

  it("does not offer an allow entry for a revoked key", () => {
    expect(renderResolution({ resolution: "revoked", login: "alice", fingerprint: "ab".repeat(32), issueNumber: 7 })).not.toContain("allow:");
  });
});

describe("parseRecordedLocations", () => {
  const sha = "a".repeat(40);
  it("reads blob permalinks into this repository, decoding the path", () => {
    const body = `- [x](https://github.com/octo/shop/blob/${sha}/src/my%20file.ts#L12)\n- [y](https://github.com/other/repo/blob/${sha}/a.ts#L1)`;
    expect(parseRecordedLocations([body, body], "https://github.com/octo/shop")).toEqual([{ commitSha: sha, path: "src/my file.ts", line: 12 }]);
  });

  it("works on a GHES host", () => {
    const body = `https://ghe.example.com/octo/shop/blob/${sha}/a.ts#L2`;
    expect(parseRecordedLocations([body], "https://ghe.example.com/octo/shop")).toEqual([{ commitSha: sha, path: "a.ts", line: 2 }]);
  });
});
