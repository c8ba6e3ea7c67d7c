import { describe, expect, it } from "vitest";
import { assertIdsOnly, contentId, deliveryIdOf, MAX_JOB_DATA_BYTES, safeIdPart, scrubKeys, UnsafeJobDataError } from "../../src/queue/job-identity.js";
import { fakeKey } from "../helpers/fake-keys.js";

const push = {
  installationId: 1,
  owner: "octo",
  repo: "app",
  repoId: 42,
  deliveryId: "d-1",
  ref: "refs/heads/main",
  before: "a".repeat(40),
  after: "b".repeat(40),
  created: false,
  forced: false,
  defaultBranch: "main",
  pusher: "octocat",
};

describe("contentId", () => {
  it("ignores the delivery id and key order, so a redelivery is the same content", () => {
    const reordered = Object.fromEntries(Object.entries({ ...push, deliveryId: "d-2" }).reverse());
    expect(contentId("scan-push", reordered)).toBe(contentId("scan-push", push));
  });

  it("differs when the commits, the repository or the job differ", () => {
    expect(contentId("scan-push", { ...push, after: "c".repeat(40) })).not.toBe(contentId("scan-push", push));
    expect(contentId("scan-push", { ...push, repoId: 43 })).not.toBe(contentId("scan-push", push));
    expect(contentId("scan-pull-request", push)).not.toBe(contentId("scan-push", push));
  });

  it("is a valid BullMQ id: no colon, not all digits", () => {
    const id = contentId("scan-push", push);
    expect(id).not.toContain(":");
    expect(id).not.toMatch(/^\d+$/);
  });
});

describe("job data guards", () => {
  it("reads the delivery id", () => {
    expect(deliveryIdOf(push)).toBe("d-1");
    expect(deliveryIdOf({ requestId: "x" })).toBeUndefined();
    expect(safeIdPart("a:b/c")).toBe("a_b_c");
  });

  it("refuses a Stripe key in job data", () => {
    for (const key of [fakeKey("sk", "live"), fakeKey("rk", "test")]) {
      expect(() => assertIdsOnly("scan-push", { ...push, pusher: key })).toThrow(UnsafeJobDataError);
      expect(() => assertIdsOnly("scan-push", { ...push, pusher: key })).not.toThrow(key);
    }
  });

  it("accepts branch names that merely contain key-like words", () => {
    expect(() => assertIdsOnly("scan-push", { ...push, ref: "refs/heads/task_live_fixes" })).not.toThrow();
  });

  it("refuses file-sized data", () => {
    expect(() => assertIdsOnly("scan-push", { ...push, pusher: "x".repeat(MAX_JOB_DATA_BYTES) })).toThrow(/ids only/);
  });

  it("scrubs keys out of error text", () => {
    const key = fakeKey("sk", "live");
    const scrubbed = scrubKeys(`request failed for ${key} at line 3`);
    expect(scrubbed).not.toContain(key);
    expect(scrubbed).toContain("at line 3");
  });
});
