import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assemblePrefilter, PREFILTER_MODULE } from "../../scripts/wasm/assemble.js";

describe("prefilter-wasm.ts", () => {
  it("is the assembled prefilter.wat (run `npm run wasm:generate` after editing the .wat)", async () => {
    const root = join(import.meta.dirname, "..", "..");
    expect(readFileSync(join(root, PREFILTER_MODULE), "utf8")).toBe(await assemblePrefilter(root));
  });
});
