import { describe, expect, it } from "vitest";
import type { Command } from "commander";
import { buildProgram } from "../../../commands/index.js";
import { runCli } from "../../helpers/cli.js";
import { must } from "../../support/must.js";

function allCommands(cmd: Command, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const sub of cmd.commands) {
    if ((sub as unknown as { _hidden?: boolean })._hidden) continue;
    const path = [...prefix, sub.name()];
    out.push(path, ...allCommands(sub, path));
  }
  return out;
}

describe("command tree", () => {
  const paths = allCommands(buildProgram());

  it("registers every upstream verb", () => {
    const top = new Set(paths.filter((p) => p.length === 1).map((p) => p[0]));
    for (const verb of [
      "bootstrap",
      "build",
      "check",
      "completion",
      "create",
      "delete",
      "diff",
      "envsubst",
      "events",
      "export",
      "get",
      "install",
      "logs",
      "reconcile",
      "resume",
      "suspend",
      "trace",
      "tree",
      "uninstall",
      "version",
    ]) {
      expect(top, verb).toContain(verb);
    }
  });

  it("answers --help for every command on stdout with exit 0", async () => {
    expect(paths.length).toBeGreaterThan(40);
    for (const path of paths) {
      const res = await runCli([...path, "--help"]);
      expect(res.code, path.join(" ")).toBe(0);
      // cobra's layout: "Usage:" then the command line (or "flux <group> [command]").
      expect(res.stdout, path.join(" ")).toContain(`Usage:\n  flux ${path.join(" ")}`);
    }
  });
});

describe("flag errors use upstream's wording and exit 1", () => {
  it("unknown flag", async () => {
    const res = await runCli(["version", "--client", "--bogus"]);
    expect(res).toMatchObject({ code: 1, stdout: "" });
    expect(res.stderr).toBe("✗ unknown flag: --bogus\n");
  });

  it("unknown shorthand flag", async () => {
    const res = await runCli(["version", "--client", "-z"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe("✗ unknown shorthand flag: 'z' in -z\n");
  });

  it("bad duration", async () => {
    const res = await runCli(["version", "--client", "--timeout", "5 minutes"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      '✗ invalid argument "5 minutes" for "--timeout" flag: time: unknown unit " minutes" in duration "5 minutes"\n',
    );
  });

  it("missing unit in duration", async () => {
    const res = await runCli(["version", "--client", "--timeout=10"]);
    expect(res.stderr).toBe('✗ invalid argument "10" for "--timeout" flag: time: missing unit in duration "10"\n');
  });

  it("bad boolean", async () => {
    const res = await runCli(["version", "--client=maybe"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      '✗ invalid argument "maybe" for "--client" flag: strconv.ParseBool: parsing "maybe": invalid syntax\n',
    );
  });

  it("flag without its value", async () => {
    const res = await runCli(["version", "--client", "--namespace"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe("✗ flag needs an argument: --namespace\n");
  });

  it("unknown command", async () => {
    const res = await runCli(["frobnicate"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('✗ unknown command "frobnicate" for "flux"\n');
  });
});

describe("version", () => {
  it("prints the client version as YAML and JSON", async () => {
    const yaml = await runCli(["version", "--client"]);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toMatch(/^flux: v2\.9\.\d+\+tsflux\.[\d.]+\n$/);
    const json = await runCli(["version", "--client", "-o", "json"]);
    const version = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(Object.keys(version)).toEqual(["flux"]);
    expect(version.flux).toMatch(/^v2\.9\./);
  });

  it("accepts pflag-style --client=true and rejects unknown output formats", async () => {
    expect((await runCli(["version", "--client=true"])).code).toBe(0);
    const bad = await runCli(["version", "--client", "-o", "xml"]);
    expect(bad.code).toBe(1);
    // upstream's wording, the one message of every -o
    expect(bad.stderr).toBe("✗ --output must be json or yaml, not xml\n");
  });
});

describe("lazy registration", () => {
  it("registers only the verb a command line names, after global flags and their values", async () => {
    const { verbOf } = await import("../../../src/cli/program.js");
    const { buildProgram: build, commandTree: tree } = await import("../../../commands/index.js");
    const full = build();
    expect(verbOf(full, tree, ["-n", "apps", "--timeout=1m", "get", "ks"])).toBe("get");
    expect(verbOf(full, tree, ["--kubeconfig", "/x", "--verbose", "create", "source", "git"])).toBe("create");
    expect(verbOf(full, tree, ["--help"])).toBeUndefined();
    expect(verbOf(full, tree, ["frobnicate"])).toBeUndefined();
    // cobra's `help [command]` is always there.
    expect(build(undefined, ["get", "ks"]).commands.map((c) => c.name())).toEqual(["get", "help"]);
    expect(build(undefined, ["--help"]).commands.length).toBe(full.commands.length);
  });

  it("registers only the subcommands a create command line names, all of them for help", async () => {
    const { buildProgram: build } = await import("../../../commands/index.js");
    const sub = (program: import("commander").Command, ...path: string[]) =>
      path.reduce(
        (cmd, name) =>
          must(
            cmd.commands.find((c) => c.name() === name),
            `the ${name} command`,
          ),
        program,
      );
    const names = (program: import("commander").Command, ...path: string[]) =>
      sub(program, ...path)
        .commands.map((c) => c.name())
        .filter((name) => name !== "help");
    const line = ["--verbose", "create", "--label", "a=b", "source", "git", "x", "--url=https://h/r", "--export"];
    const program = build(undefined, line);
    expect(names(program)).toEqual(["create"]);
    expect(names(program, "create")).toEqual(["source"]);
    expect(names(program, "create", "source")).toEqual(["git"]);
    // help after a word lists that word's subcommands; before it, every verb
    expect(names(build(undefined, ["create", "--help"]), "create")).toHaveLength(9);
    expect(names(build(undefined, ["create", "source", "-h"]), "create", "source")).toEqual([
      "git",
      "helm",
      "oci",
      "bucket",
      "chart",
    ]);
    expect(names(build(undefined, ["--help", "create"]))).toEqual(names(build()));
    // an alias or a typo registers every sibling: commander resolves or reports it
    expect(names(build(undefined, ["create", "ks", "apps"]), "create")).toHaveLength(9);
    expect((await runCli(["create", "source", "gti"])).stderr).toBe('✗ unknown command "gti" for "flux"\n');
    const ks = await runCli([
      "create",
      "ks",
      "apps",
      "--source=GitRepository/flux-system",
      "--path=./apps",
      "--export",
    ]);
    expect(ks.code).toBe(0);
    expect(ks.stdout).toContain("kind: Kustomization\n");
  });

  it("still lists every verb in the root help", async () => {
    const res = await runCli(["--help"]);
    expect(res.code).toBe(0);
    for (const verb of ["bootstrap", "create", "get", "reconcile", "version"]) expect(res.stdout).toContain(verb);
  });
});

describe("flux --version", () => {
  it("prints upstream's version line on stdout", async () => {
    const res = await runCli(["--version"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^flux version 2\.9\.\d+\+tsflux\.[\d.]+\n$/);
    expect(res.stderr).toBe("");
    expect(res.output).toBe(res.stdout);
  });
});
