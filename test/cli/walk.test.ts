import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { walkDirectory } from "../../src/cli/walk.js";

let root: string;

function put(path: string, content = "x\n"): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

async function walked(dir = root, skipPath?: (p: string) => boolean): Promise<string[]> {
  const files = await walkDirectory(dir, skipPath ? { displayRoot: root, skipPath } : { displayRoot: root });
  return files.map((f) => f.display).sort();
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "slg-walk-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("walkDirectory", () => {
  it("lists every file, skipping .git", async () => {
    put("a.txt");
    put("src/b.ts");
    put("src/deep/c.js");
    put(".git/config");
    put(".env");
    expect(await walked()).toEqual([".env", "a.txt", "src/b.ts", "src/deep/c.js"]);
  });

  it("respects .gitignore, nested files and re-includes", async () => {
    put(".gitignore", "node_modules/\n*.log\nbuild\n");
    put("node_modules/pkg/index.js");
    put("debug.log");
    put("build/out.js");
    put("src/keep.ts");
    put("src/.gitignore", "generated/\n!important.log\n");
    put("src/generated/x.ts");
    put("src/important.log");
    put("src/other.log");
    expect(await walked()).toEqual([".gitignore", "src/.gitignore", "src/important.log", "src/keep.ts"]);
  });

  it("applies directory-only patterns to directories, never to files of the same name", async () => {
    put(".gitignore", "# build output\nout/  \n!out/keep/\n");
    put("out/x.js");
    put("sub/out");
    put("sub/out.js");
    expect(await walked()).toEqual([".gitignore", "sub/out", "sub/out.js"]);
  });

  it("still tests files when a directory-only file sits under one with file patterns", async () => {
    put(".gitignore", "*.log\n");
    put("pkg/.gitignore", "dist/\n");
    put("pkg/dist/a.js");
    put("pkg/debug.log");
    put("pkg/a.ts");
    expect(await walked()).toEqual([".gitignore", "pkg/.gitignore", "pkg/a.ts"]);
  });

  it("anchors patterns to the directory of their .gitignore", async () => {
    put("lib/.gitignore", "/only-here.txt\n");
    put("lib/only-here.txt");
    put("lib/sub/only-here.txt");
    expect(await walked()).toEqual(["lib/.gitignore", "lib/sub/only-here.txt"]);
  });

  it("applies .gitignore files above the walked directory, up to the repository root", async () => {
    put(".git/HEAD", "ref: refs/heads/main\n");
    put(".git/info/exclude", "secret-notes.txt\n");
    put(".gitignore", "*.tmp\n");
    put("pkg/a.tmp");
    put("pkg/a.ts");
    put("pkg/secret-notes.txt");
    expect(await walked(join(root, "pkg"))).toEqual(["pkg/a.ts"]);
  });

  it("does not follow symbolic links", async () => {
    put("real/file.txt");
    symlinkSync(join(root, "real"), join(root, "link"));
    symlinkSync(join(root, "real/file.txt"), join(root, "file-link.txt"));
    expect(await walked()).toEqual(["real/file.txt"]);
  });

  it("leaves out paths the caller skips", async () => {
    put("fixtures/a.txt");
    put("src/a.ts");
    expect(await walked(root, (p) => p.startsWith("fixtures/"))).toEqual(["src/a.ts"]);
  });
});
