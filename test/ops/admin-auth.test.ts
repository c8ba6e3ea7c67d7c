import { describe, expect, it } from "vitest";
import { AdminAuthConfigError, adminAuthFrom, challengeFor, isAuthorized } from "../../src/ops/admin-auth.js";

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("adminAuthFrom", () => {
  it("is off unless credentials are set", () => {
    expect(adminAuthFrom({})).toBeUndefined();
    expect(adminAuthFrom({ ADMIN_USER: "", ADMIN_PASSWORD: "", ADMIN_TOKEN: " " })).toBeUndefined();
  });

  it("refuses half a Basic pair and a user with a colon", () => {
    expect(() => adminAuthFrom({ ADMIN_USER: "ops" })).toThrow(AdminAuthConfigError);
    expect(() => adminAuthFrom({ ADMIN_PASSWORD: "pw" })).toThrow(/both ADMIN_USER and ADMIN_PASSWORD/);
    expect(() => adminAuthFrom({ ADMIN_USER: "a:b", ADMIN_PASSWORD: "pw" })).toThrow(/':'/);
  });

  it("accepts Basic, Bearer or both", () => {
    expect(adminAuthFrom({ ADMIN_USER: "ops", ADMIN_PASSWORD: "pw" })).toEqual({ basic: { user: "ops", password: "pw" } });
    expect(adminAuthFrom({ ADMIN_TOKEN: "t0ken" })).toEqual({ bearer: "t0ken" });
  });
});

describe("isAuthorized", () => {
  const auth = { basic: { user: "ops", password: "correct horse: battery" }, bearer: "s3cret-token" };

  it("lets the right Basic pair and the right token in, with passwords that contain colons", () => {
    expect(isAuthorized(auth, basic("ops", "correct horse: battery"))).toBe(true);
    expect(isAuthorized(auth, "Bearer s3cret-token")).toBe(true);
    expect(isAuthorized(auth, "bearer s3cret-token")).toBe(true);
  });

  it("keeps everyone else out", () => {
    for (const header of [
      undefined,
      "",
      "Basic",
      basic("ops", "wrong"),
      basic("OPS", "correct horse: battery"),
      basic("ops", "correct horse: battery "),
      "Bearer s3cret-toke",
      "Bearer ",
      `Basic ${Buffer.from("no-colon").toString("base64")}`,
      "Token s3cret-token",
    ]) {
      expect(isAuthorized(auth, header)).toBe(false);
    }
    expect(isAuthorized({ bearer: "x" }, basic("ops", "x"))).toBe(false);
    expect(isAuthorized({ basic: { user: "a", password: "b" } }, "Bearer b")).toBe(false);
  });

  it("challenges with Basic when Basic is configured, else Bearer", () => {
    expect(challengeFor(auth)).toMatch(/^Basic realm=/);
    expect(challengeFor({ bearer: "x" })).toMatch(/^Bearer realm=/);
  });
});
