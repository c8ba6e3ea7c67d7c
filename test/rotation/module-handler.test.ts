import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createModuleHandler } from "../../src/rotation/module-handler.js";
import type { RotationRequest } from "../../src/rotation/types.js";
import { fakeKey } from "../helpers/fake-keys.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/rotation/${name}`, import.meta.url));

function request(secret?: string): RotationRequest {
  return {
    version: 1,
    idempotencyId: "id",
    trigger: "auto",
    incident: { repository: "octo/shop", repositoryId: 1, issueNumber: 2, url: "https://github.com/octo/shop/issues/2" },
    key: { kind: "secret", mode: "live", redacted: "sk_live_…abcd", fingerprint: "f".repeat(64), ...(secret ? { secret } : {}) },
    locations: [],
    verification: "not-checked",
  };
}

describe("the module rotation handler", () => {
  it("calls rotate(request) with a copy and reads its answer", async () => {
    const handler = createModuleHandler({ path: fixture("rotate-records.mjs") });
    const original = request();
    expect(await handler.call(original)).toEqual({ type: "answered", status: "rotated", message: "updated the secret store for mutated by the handler" });
    expect(original.key.redacted).toBe("sk_live_…abcd");
    const module = (await import(fixture("rotate-records.mjs"))) as { calls: RotationRequest[] };
    expect(module.calls).toHaveLength(1);
    expect(handler.description).toBe("module rotate-records.mjs");
  });

  it("retries a throw, without repeating a key the error carried", async () => {
    const key = fakeKey("sk", "live");
    const outcome = await createModuleHandler({ path: fixture("rotate-throws.mjs") }).call(request(key));
    expect(outcome.type).toBe("retry");
    expect(JSON.stringify(outcome)).not.toContain(key);
    expect(JSON.stringify(outcome)).toContain("vault write failed for sk_live_…");
  });

  it("retries after the deadline", async () => {
    expect(await createModuleHandler({ path: fixture("rotate-hangs.mjs"), timeoutMs: 100 }).call(request())).toEqual({
      type: "retry",
      reason: "module rotate-hangs.mjs did not answer within 100 ms",
    });
  });

  it("refuses a module without rotate(), a missing module and a malformed answer", async () => {
    expect(await createModuleHandler({ path: fixture("rotate-missing.mjs") }).call(request())).toMatchObject({
      type: "refused",
      reason: expect.stringContaining("does not export a rotate(request) function"),
    });
    expect(await createModuleHandler({ path: fixture("nope.mjs") }).call(request())).toMatchObject({
      type: "refused",
      reason: expect.stringContaining("could not be loaded"),
    });
    expect(await createModuleHandler({ path: fixture("rotate-bad-answer.mjs") }).call(request())).toMatchObject({ type: "refused" });
  });
});
