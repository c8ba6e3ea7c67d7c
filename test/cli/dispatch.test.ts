import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SUBCOMMANDS } from "../../src/bin/cli.js";
import { cli } from "./cli-harness.js";

const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

describe("stripe-leak-guard", () => {
  it("lists its commands on --help and -h", async () => {
    for (const flag of ["--help", "-h"]) {
      const result = await cli([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Usage: stripe-leak-guard <command>");
      for (const name of Object.keys(SUBCOMMANDS)) expect(result.stdout).toContain(`  ${name}`);
    }
  });

  it("prints the package version", async () => {
    expect(await cli(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("shows usage on stderr and exits 2 without a command", async () => {
    const result = await cli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Usage:");
  });

  it("names an unknown command or option and exits 2", async () => {
    expect(await cli(["scna"])).toMatchObject({ code: 2, stdout: "" });
    expect((await cli(["scna"])).stderr).toMatch(/^stripe-leak-guard: unknown command "scna"\n/);
    expect((await cli(["--verbose"])).stderr).toMatch(/^stripe-leak-guard: unknown option --verbose\n/);
    expect((await cli(["constructor"])).code).toBe(2);
  });

  it("hands the rest of argv to the subcommand", async () => {
    const result = await cli(["scan", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: stripe-leak-guard scan [options] [paths...]");
  });
});
