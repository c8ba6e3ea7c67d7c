import { describe, expect, it, vi } from "vitest";
import type * as SampleKeys from "../../src/scanner/sample-keys.js";
import { fakeKey } from "../helpers/fake-keys.js";
import { PEPPER } from "./spans.js";

/*
 * Stripe's documented sample key may not be committed, not even in a test, so
 * the engine's digest table is extended with a stand-in key for this file.
 */
const standIn = fakeKey("sk", "test", "Zq8Rw2Lp5Tn7Vb3Xc9Hj4Kd6");

vi.mock("../../src/scanner/sample-keys.js", async (importActual) => {
  const actual = await importActual<typeof SampleKeys>();
  const samples = new Map([[actual.sha256Hex(standIn), "documented sample"]]);
  return { ...actual, sampleKeyNote: (key: string) => actual.sampleKeyNote(key) ?? actual.sampleKeyNote(key, samples) };
});

const { scanText } = await import("../../src/scanner/detect.js");
const { sampleKeyNote } = await import("../../src/scanner/sample-keys.js");

describe("a documented sample key", () => {
  it("is still reported, as a low-severity test key with a note", () => {
    const [f, ...rest] = scanText(`Stripe.api_key = "${standIn}"`, { path: "docs/example.rb", pepper: PEPPER });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "stripe-secret-test", mode: "test", severity: "low", note: "documented sample" });
  });

  it("is recognised only by its digest: other keys get no note", () => {
    expect(sampleKeyNote(fakeKey("sk", "test"))).toBeUndefined();
    expect(scanText(`k = "${fakeKey("sk", "test")}"`, { path: "x", pepper: PEPPER })[0]?.note).toBeUndefined();
  });
});
