import { describe, expect, it } from "vitest";
import { readEnv } from "../../src/config/env.js";
import { rotationSettingsFrom, rotationWarnings, shouldAutoRotate, warnAboutRotationSettings } from "../../src/rotation/settings.js";

const secret = "a-signing-secret-long-enough";

describe("rotationSettingsFrom", () => {
  it("has no handler and no problem by default", () => {
    const settings = rotationSettingsFrom(readEnv({}));
    expect(settings.handler).toBeUndefined();
    expect(settings.problem).toBeUndefined();
    expect(settings).toMatchObject({ sendSecret: false, dryRun: false, verifyKeys: false, autoRotateKinds: [] });
  });

  it("builds an HTTPS handler described by its origin only", () => {
    const settings = rotationSettingsFrom(readEnv({ ROTATION_HANDLER_URL: "https://rotate.example.com/hook?token=abc", ROTATION_HANDLER_SECRET: secret }));
    expect(settings.handler?.description).toBe("https://rotate.example.com");
  });

  it("refuses a URL without a secret, and a URL and a module together", () => {
    expect(rotationSettingsFrom(readEnv({ ROTATION_HANDLER_URL: "https://rotate.example.com" })).problem).toMatch(/without ROTATION_HANDLER_SECRET/);
    const both = rotationSettingsFrom(readEnv({ ROTATION_HANDLER_URL: "https://rotate.example.com", ROTATION_HANDLER_SECRET: secret, ROTATION_HANDLER_MODULE: "./r.mjs" }));
    expect(both.problem).toMatch(/set one/);
    expect(both.handler).toBeUndefined();
  });

  it("reports an unreadable CA file", () => {
    const settings = rotationSettingsFrom(
      readEnv({ ROTATION_HANDLER_URL: "https://rotate.example.com", ROTATION_HANDLER_SECRET: secret, ROTATION_HANDLER_CA_FILE: "/nonexistent/ca.pem" }),
    );
    expect(settings.problem).toBe("ROTATION_HANDLER_CA_FILE could not be read");
  });

  it("reads the auto-rotate kinds and rejects unknown ones", () => {
    const settings = rotationSettingsFrom(readEnv({ AUTO_ROTATE_KINDS: " secret , restricted " }));
    expect(shouldAutoRotate(settings, "secret")).toBe(true);
    expect(shouldAutoRotate(settings, "webhook-secret")).toBe(false);
    expect(() => readEnv({ AUTO_ROTATE_KINDS: "secret,everything" })).toThrow(/AUTO_ROTATE_KINDS/);
  });
});

describe("rotationWarnings", () => {
  it("warns at startup about an http:// URL, a missing handler and a misconfiguration", () => {
    const plain = readEnv({ ROTATION_HANDLER_URL: "http://rotate.example.com", ROTATION_HANDLER_SECRET: secret });
    expect(rotationWarnings(plain, rotationSettingsFrom(plain))).toEqual([
      "ROTATION_HANDLER_URL must be https://; rotation requests to http://rotate.example.com will be refused",
    ]);
    const orphan = readEnv({ AUTO_ROTATE_KINDS: "secret", ROTATION_SEND_SECRET: "true" });
    expect(rotationWarnings(orphan, rotationSettingsFrom(orphan))).toEqual([
      "AUTO_ROTATE_KINDS is set but no rotation handler is configured",
      "ROTATION_SEND_SECRET is set but no rotation handler is configured",
    ]);
  });
});

describe("warnAboutRotationSettings", () => {
  it("logs each problem once at start-up, naming the origin but never the URL's path or query", () => {
    const warnings: string[] = [];
    warnAboutRotationSettings(readEnv({ ROTATION_HANDLER_URL: "https://rotate.example.com/hook?token=abc", AUTO_ROTATE_KINDS: "secret" }), {
      warn: (message) => warnings.push(message),
    });
    expect(warnings).toEqual([expect.stringMatching(/^rotation settings: ROTATION_HANDLER_URL \(https:\/\/rotate\.example\.com\) is set without ROTATION_HANDLER_SECRET/)]);
    expect(warnings.join("\n")).not.toContain("token=abc");
  });

  it("says nothing when nothing is configured", () => {
    const warnings: string[] = [];
    warnAboutRotationSettings(readEnv({}), { warn: (message) => warnings.push(message) });
    expect(warnings).toEqual([]);
  });
});
