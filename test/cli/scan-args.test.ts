import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/errors.js";
import { parseScanArgs } from "../../src/cli/scan-args.js";

describe("parseScanArgs", () => {
  it("defaults to scanning the current directory as text, failing on high", () => {
    const options = parseScanArgs([]);
    expect(options.input).toEqual({ mode: "paths", paths: ["."] });
    expect(options.format).toBe("text");
    expect(options.failOn).toBe("high");
    expect(options.progress).toBe(true);
    expect(options.maxFileSize).toBe(100 * 1024 * 1024);
  });

  it("takes paths, format, fail-on, config, output and max file size", () => {
    const options = parseScanArgs(["a", "b", "-f", "sarif", "--fail-on", "low", "-c", "cfg.yml", "-o", "out.sarif", "--max-file-size", "0.5", "--no-progress"]);
    expect(options).toMatchObject({
      input: { mode: "paths", paths: ["a", "b"] },
      format: "sarif",
      failOn: "low",
      config: "cfg.yml",
      output: "out.sarif",
      maxFileSize: 512 * 1024,
      progress: false,
    });
  });

  it("reads --diff from stdin when it has no value", () => {
    expect(parseScanArgs(["--diff"]).input).toEqual({ mode: "diff", source: "-" });
    expect(parseScanArgs(["--diff", "--format", "json"]).input).toEqual({ mode: "diff", source: "-" });
    expect(parseScanArgs(["--diff", "-"]).input).toEqual({ mode: "diff", source: "-" });
    expect(parseScanArgs(["--diff", "x.patch"]).input).toEqual({ mode: "diff", source: "x.patch" });
    expect(parseScanArgs(["--diff=x.patch"]).input).toEqual({ mode: "diff", source: "x.patch" });
  });

  it("takes the repository as the one path of the git modes", () => {
    expect(parseScanArgs(["--git", "main..HEAD"]).input).toEqual({ mode: "git", range: "main..HEAD", repo: "." });
    expect(parseScanArgs(["--history", "repo"]).input).toEqual({ mode: "history", repo: "repo" });
    expect(parseScanArgs(["--staged"]).input).toEqual({ mode: "staged", repo: "." });
  });

  it("accepts none as --fail-on", () => {
    expect(parseScanArgs(["--fail-on", "none"]).failOn).toBe("none");
  });

  it.each([
    [["--bogus"], /unknown option --bogus/],
    [["-z"], /unknown option -z/],
    [["--format", "xml"], /--format must be one of text, json, sarif/],
    [["--fail-on", "severe"], /--fail-on must be one of info, low, medium, high, critical, none/],
    [["--max-file-size", "zero"], /--max-file-size/],
    [["--git", "a..b", "--history"], /--git and --history cannot be combined/],
    [["--staged", "--diff", "x"], /cannot be combined/],
    [["--history", "a", "b"], /at most one path/],
    [["--diff", "x", "extra"], /--diff reads one diff/],
    [["--git", " "], /needs a revision range/],
    [["--git=--output=/tmp/x"], /--git takes a revision range, not an option/],
    [["--format"], /needs a value/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseScanArgs(argv)).toThrow(UsageError);
    expect(() => parseScanArgs(argv)).toThrow(message);
  });
});
