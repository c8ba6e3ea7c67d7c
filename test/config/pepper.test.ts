import { describe, expect, it } from "vitest";
import { pepperFrom, readEnv } from "../../src/config/env.js";
import { DEFAULT_PEPPER, EnvError, readPepper } from "../../src/config/pepper.js";

/* The scan reads the pepper without zod; it must agree with the schema the App and workers use. */
describe("readPepper", () => {
  const read = (env: Record<string, string | undefined>): string | Error => {
    try {
      return readPepper(env);
    } catch (error) {
      return error as Error;
    }
  };
  const viaSchema = (env: Record<string, string | undefined>): string | Error => {
    try {
      return pepperFrom(readEnv(env));
    } catch (error) {
      return error as Error;
    }
  };

  it.each([
    ["unset", {}],
    ["a long value", { STRIPE_LEAK_GUARD_PEPPER: "an-operator-chosen-pepper" }],
    ["exactly 16 characters", { STRIPE_LEAK_GUARD_PEPPER: "0123456789abcdef" }],
    ["15 characters", { STRIPE_LEAK_GUARD_PEPPER: "0123456789abcde" }],
    ["empty", { STRIPE_LEAK_GUARD_PEPPER: "" }],
  ])("agrees with envSchema when %s", (_label, env) => {
    const light = read(env);
    const schema = viaSchema(env);
    if (schema instanceof Error) {
      expect(light).toBeInstanceOf(EnvError);
      expect((light as Error).message).toBe(schema.message);
    } else {
      expect(light).toBe(schema);
    }
  });

  it("falls back to the documented default", () => {
    expect(readPepper({})).toBe(DEFAULT_PEPPER);
  });

  it("ignores the App's other variables, which a scan does not use", () => {
    expect(readPepper({ REDIS_URL: "not a url", STRIPE_LEAK_GUARD_PEPPER: "an-operator-chosen-pepper" })).toBe("an-operator-chosen-pepper");
  });
});
