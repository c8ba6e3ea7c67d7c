import { describe, expect, it } from "vitest";
import { emptyScan, mergeScans, scanChangedFiles } from "../../src/jobs/scan-files.js";
import { testOctokit } from "../helpers/octokit.js";

describe("scan bytes", () => {
  it("counts the patch bytes a scan reads, and adds them up when scans are merged", async () => {
    const patch = "@@ -0,0 +1,2 @@\n+const greeting = 'héllo';\n+export default greeting;\n";
    const scan = await scanChangedFiles([{ path: "src/a.ts", status: "added", patch, changes: 2 }], {
      octokit: testOctokit(),
      repo: { owner: "o", repo: "r" },
      pepper: "a-test-pepper-of-16+",
      commitSha: "c".repeat(40),
      location: { ref: "refs/heads/main" },
    });
    expect(scan.bytes).toBe(Buffer.byteLength(patch));
    const total = emptyScan();
    mergeScans(total, scan);
    mergeScans(total, scan);
    expect(total.bytes).toBe(2 * Buffer.byteLength(patch));
  });
});
