// pflag's shorthand forms: `-n=foo`, `-nfoo` and `-n foo` all mean namespace "foo";
// booleans group and take `=false`; the rest of a word after a value shorthand is its value.
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../../commands/index.js";
import { normalizeShorthands } from "../../../src/cli/flags.js";
import { runCli } from "../../helpers/cli.js";

const git = [
  "create",
  "source",
  "git",
  "podinfo",
  "--url=https://github.com/stefanprodan/podinfo",
  "--branch=main",
  "--export",
];

describe("shorthand flags as pflag reads them", () => {
  for (const form of [["-n=foo"], ["-nfoo"], ["-n", "foo"], ["--namespace=foo"], ["--namespace", "foo"]]) {
    it(`${form.join(" ")} is the namespace "foo"`, async () => {
      const res = await runCli([...git, ...form]);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain("\n  namespace: foo\n");
    });
  }

  it("before the verb too (-n=foo create …)", async () => {
    const res = await runCli(["-n=foo", ...git]);
    expect(res.stdout).toContain("\n  namespace: foo\n");
  });

  it("other value shorthands: -u=user -p=pass on create secret oci", async () => {
    const res = await runCli(["create", "secret", "oci", "ghcr", "--url=ghcr.io", "-u=stefan", "-ppass", "--export"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/"username": ?"stefan"/);
    expect(res.stdout).toMatch(/"password": ?"pass"/);
  });

  it("rewrites words the way pflag splits them", () => {
    const program = buildProgram(undefined, ["get", "sources", "git"]);
    expect(normalizeShorthands(program, ["get", "sources", "git", "-n=foo", "-A=false", "-l=a=b", "-w"])).toEqual([
      "get",
      "sources",
      "git",
      "-n",
      "foo",
      "--all-namespaces=false",
      "-l",
      "a=b",
      "-w",
    ]);
    // an unknown shorthand is left for commander's "unknown shorthand flag" error
    expect(normalizeShorthands(program, ["get", "-Z"])).toEqual(["get", "-Z"]);
    expect(normalizeShorthands(program, ["get", "--", "-n=x"])).toEqual(["get", "--", "-n=x"]);
  });

  it("an unknown shorthand is an error as in pflag", async () => {
    const res = await runCli(["get", "sources", "git", "-Z"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe("✗ unknown shorthand flag: 'Z' in -Z\n");
  });
});
