import { describe, expect, it } from "vitest";
import { scanLines, scanText } from "../../src/scanner/detect.js";
import { fingerprintKey } from "../../src/scanner/fingerprint.js";
import { redactKey } from "../../src/scanner/redact.js";
import { revealSecret } from "../../src/scanner/secret.js";
import { sampleKeyNote, sha256Hex } from "../../src/scanner/sample-keys.js";
import { fakeKey, fakeWebhookSecret } from "../helpers/fake-keys.js";
import { PEPPER, position } from "./spans.js";

const ctx = { path: "src/config.ts", pepper: PEPPER };

describe("scanText", () => {
  it("reports kind, mode, severity, exact 1-based span, redaction and fingerprint", () => {
    const key = fakeKey("sk", "live");
    const text = `// config\nconst stripe = new Stripe("${key}");\n`;
    const [f, ...rest] = scanText(text, ctx);
    expect(rest).toEqual([]);
    const at = text.indexOf(key);
    expect(f).toMatchObject({
      ruleId: "stripe-secret-live",
      path: "src/config.ts",
      line: 2,
      column: position(text, at).column,
      endColumn: position(text, at).column + key.length,
      kind: "secret",
      mode: "live",
      severity: "critical",
      redacted: `sk_live_…${key.slice(-4)}`,
      fingerprint: fingerprintKey(key, PEPPER),
    });
    expect(f && revealSecret(f)).toBe(key);
  });

  it("never serialises the raw key, in any form", () => {
    const keys = [fakeKey("sk", "live"), fakeKey("rk", "test"), fakeKey("pk", "live"), fakeWebhookSecret()];
    const text = keys.map((k, i) => `K${i}="${k}"`).join("\n") + `\nb=${Buffer.from(keys[0] ?? "").toString("base64")}\n`;
    const findings = scanText(text, ctx);
    expect(findings).toHaveLength(5);
    const json = JSON.stringify(findings) + JSON.stringify(findings.map((f) => ({ ...f })));
    for (const k of keys) {
      expect(json).not.toContain(k);
      expect(json).not.toContain(k.slice(8, 40));
    }
    expect(findings.map((f) => revealSecret(f))).toEqual([...keys, keys[0]]);
  });

  it("counts columns in UTF-16 code units", () => {
    const key = fakeKey("sk", "test");
    const text = `é😀 "${key}"`;
    const [f] = scanText(text, ctx);
    expect(f?.column).toBe(text.indexOf(key) + 1);
    expect(f?.endColumn).toBe(text.indexOf(key) + key.length + 1);
  });

  it("handles CRLF line endings", () => {
    const key = fakeKey("rk", "live");
    const [f] = scanText(`a\r\nb\r\nx=${key}\r\n`, ctx);
    expect(f).toMatchObject({ line: 3, column: 3, endColumn: 3 + key.length });
  });

  it("an ignore marker waives test and publishable keys only", () => {
    const m = "// stripe-leak-guard:ignore";
    const lines = [
      `a = "${fakeKey("sk", "test")}" ${m}`,
      `b = "${fakeKey("pk", "live")}" ${m}`,
      `c = "${fakeKey("sk", "live")}" ${m}`,
      `d = "${fakeKey("rk", "live")}" ${m}`,
      `e = "${fakeKey("rk", "test")}"`,
      `f = "${["sk", "org", "test", fakeKey("sk", "test").slice(8)].join("_")}" ${m}`,
    ];
    const found = scanText(lines.join("\n"), ctx).map((f) => [f.line, f.ruleId]);
    expect(found).toEqual([
      [3, "stripe-secret-live"],
      [4, "stripe-restricted-live"],
      [5, "stripe-restricted-test"],
      [6, "stripe-org-secret-test"],
    ]);
  });

  it("finds nothing in text without keys", () => {
    expect(scanText("const sk_live_mode = true; // task_test_runner\n", ctx)).toEqual([]);
    expect(scanText("", ctx)).toEqual([]);
  });
});

describe("documented sample keys", () => {
  it("are recognised by digest, so the key itself is never committed", () => {
    const key = fakeKey("sk", "test", "A1b2C3d4E5f6G7h8I9j0K1l2");
    const samples = new Map([[sha256Hex(key), "sample"]]);
    expect(sampleKeyNote(key, samples)).toBe("sample");
    expect(sampleKeyNote(fakeKey("sk", "test"), samples)).toBeUndefined();
  });
});

describe("redactKey", () => {
  it("keeps the prefix and the last four characters", () => {
    const key = fakeKey("sk", "live", "abcdefghijklmnopqrstuvwxyz12a1B2");
    expect(redactKey(key)).toBe("sk_live_…a1B2");
    expect(redactKey(["sk", "org", "live", "Q".repeat(30) + "WXYZ"].join("_"))).toBe("sk_org_live_…WXYZ");
    expect(redactKey(["whsec", "abcdefgh"].join("_"))).toBe("whsec_…");
  });
});

describe("scanLines", () => {
  it("keeps the given line numbers and per-line columns", () => {
    const key = fakeKey("sk", "live");
    const findings = scanLines(
      [
        { line: 10, text: "nothing here" },
        { line: 42, text: `  key: "${key}"` },
      ],
      ctx,
    );
    expect(findings.map((f) => [f.line, f.column, f.endColumn])).toEqual([[42, 9, 9 + key.length]]);
  });

  it("applies the ignore marker per line", () => {
    const findings = scanLines(
      [
        { line: 1, text: `a=${fakeKey("sk", "test")} # stripe-leak-guard:ignore` },
        { line: 2, text: `b=${fakeKey("sk", "test")}` },
      ],
      ctx,
    );
    expect(findings.map((f) => f.line)).toEqual([2]);
  });
});
