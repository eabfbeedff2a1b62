// `flux install --version X` selects the distribution version (cobra semantics), while
// `flux --version` still prints the CLI's version.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../../commands/index.js";
import { routeSubcommandVersion } from "../../../src/cli/flags.js";
import { runCli } from "../../helpers/cli.js";

const MINI = fileURLToPath(new URL("../../fixtures/install/mini-bundle", import.meta.url));

describe("--version after a subcommand that defines it", () => {
  it("reaches install", async () => {
    const a = await runCli(["install", "--export", "--manifests", MINI, "--version", "2.9.0"]);
    expect(a.code).toBe(1);
    expect(a.stderr).toBe("✗ targeted version '2.9.0' must be prefixed with 'v'\n");
    const b = await runCli(["install", "--export", "--manifests", MINI, "--version=v2.8.0"]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/^✗ targeted version 'v2.8.0' is not compatible with your current version of flux/);
    const c = await runCli([
      "--namespace",
      "flux-system",
      "install",
      "--export",
      "--manifests",
      MINI,
      "--version",
      "v2.9.1",
    ]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toContain("# Flux Version: v2.9.1\n");
  });

  it("still prints the CLI version at the root", async () => {
    const res = await runCli(["--version"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^flux version 2\.9\.\d+\+tsflux\./);
  });

  it("leaves other commands and arguments after -- alone", () => {
    const program = buildProgram();
    expect(routeSubcommandVersion(program, ["--version"])).toEqual(["--version"]);
    expect(routeSubcommandVersion(program, ["check", "--version"])).toEqual(["check", "--version"]);
    expect(routeSubcommandVersion(program, ["--timeout", "1m", "install", "--version", "v2.9.0"])).toEqual([
      "--timeout",
      "1m",
      "install",
      "-v",
      "v2.9.0",
    ]);
    expect(routeSubcommandVersion(program, ["install", "--", "--version"])).toEqual(["install", "--", "--version"]);
  });
});
