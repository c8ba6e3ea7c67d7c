import { describe, expect, it } from "vitest";
import { cell, code, mention, text, truncateMarkdown } from "../../src/render/markdown.js";

describe("code", () => {
  it("wraps plain text in single backticks", () => {
    expect(code("config/app.rb")).toBe("`config/app.rb`");
  });

  it("uses a longer fence than any backtick run inside, padding edge backticks", () => {
    expect(code("a`b")).toBe("``a`b``");
    expect(code("``x")).toBe("``` ``x ```");
  });

  it("folds newlines so a path cannot end the line", () => {
    expect(code("a\nb\r\nc")).toBe("`a b c`");
  });
});

describe("cell", () => {
  it("escapes pipes and folds newlines", () => {
    expect(cell("a|b\nc")).toBe("a\\|b c");
  });
});

describe("text", () => {
  it("neutralises mentions, links and HTML from untrusted text", () => {
    const out = text("ping @octo/admins <img src=x> [x](http://evil) *bold*");
    expect(out).not.toMatch(/@octo/);
    expect(out).not.toMatch(/(?<!\\)<img/);
    expect(out).toContain("\\[x\\]");
    expect(out).toContain("\\*bold\\*");
  });
});

describe("mention", () => {
  it("mentions valid users and teams, with or without a leading @", () => {
    expect(mention("octocat")).toBe("@octocat");
    expect(mention("@octocat")).toBe("@octocat");
    expect(mention("@acme/payments-oncall")).toBe("@acme/payments-oncall");
    expect(mention("dependabot[bot]")).toBe("@dependabot[bot]");
  });

  it("shows anything else as code, pinging no one", () => {
    expect(mention("not a login")).toBe("`not a login`");
    expect(mention("-bad")).toBe("`-bad`");
    expect(mention("x](http://evil)")).toBe("`x](http://evil)`");
  });
});

describe("truncateMarkdown", () => {
  it("returns text that fits unchanged", () => {
    expect(truncateMarkdown("short", 10, "cut")).toBe("short");
  });

  it("cuts at a line boundary, stays within the limit and ends with the notice", () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i} of a long summary`).join("\n");
    const out = truncateMarkdown(lines, 500, "TRUNCATED");
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out.trimEnd().endsWith("TRUNCATED")).toBe(true);
    const kept = out.split("\n\nTRUNCATED")[0] ?? "";
    expect(lines.startsWith(kept)).toBe(true);
    expect(lines.charAt(kept.length)).toBe("\n");
  });

  it("never splits a surrogate pair", () => {
    const emoji = "🔑".repeat(400);
    const out = truncateMarkdown(emoji, 301, "cut");
    expect(out.length).toBeLessThanOrEqual(301);
    expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(out).not.toMatch(/(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });

  it("drops an unclosed fence even when the text starts with it", () => {
    const out = truncateMarkdown(`\`\`\`\n${"x\n".repeat(500)}\`\`\`\n`, 200, "cut");
    expect(out).toBe("\n\ncut\n");
  });

  it("does not leave a code fence open", () => {
    const body = `intro\n\n\`\`\`yaml\n${"key: value\n".repeat(200)}\`\`\`\n`;
    const out = truncateMarkdown(body, 300, "cut");
    expect((out.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect(out).toContain("cut");
  });
});
