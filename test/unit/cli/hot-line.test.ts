// The hot path of `create …` (src/cli/hot-line.ts, commands/create-hot.ts) must read a
// command line exactly as commander's path does, or hand it back: each line here is
// read both ways and compared (options, global flags, output, exit code).
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { createHotTable } from "../../../commands/create-hot-table.js";
import { hotLeaves } from "../../../commands/create-hot.js";
import { buildProgram } from "../../../commands/index.js";
import { captureOptions } from "../../../src/cli/action.js";
import { globalsFrom } from "../../../src/cli/context.js";
import { normalizeBoolArgs } from "../../../src/cli/flags.js";
import { hotInvocation, leafTable, readHotLine, type HotLine } from "../../../src/cli/hot-line.js";
import { hotTableTexts } from "../../../src/cli/hot-table.js";
import { runCli } from "../../helpers/cli.js";

const table = createHotTable();
const GIT = ["create", "source", "git", "podinfo"];
const URL = "--url=https://github.com/stefanprodan/podinfo";
const BENCH_LINE = [...GIT, URL, "--branch=master", "--export"];

/** Lines the hot path reads itself. */
const HOT: string[][] = [
  BENCH_LINE,
  [...GIT, "--url", "https://example.com/org/repo", "--tag", "v1.0.0", "--export", "--label=a=b,c=d", "--label", "e=f"],
  [...GIT, URL, "-n", "apps", "--branch=main", "--interval=5m", "--ignore-paths=a/,b/", "--export"],
  [...GIT, URL, "--branch=main", "--namespace=apps", "--timeout=1m", "--fetch-timeout=30s", "--export", "extra"],
  [...GIT, URL, "--branch=main", "--url=https://example.com/second", "-s", "--recurse-submodules", "--export"],
  [...GIT, URL, "--branch=main", "--cache-dir=/tmp/kube-cache", "--kubeconfig=/dev/null", "--verbose", "--export"],
  ["create", "source", "helm", "podinfo", "--url=https://stefanprodan.github.io/podinfo", "--export"],
  [
    "create",
    "source",
    "oci",
    "podinfo",
    "--url=oci://ghcr.io/stefanprodan/manifests/podinfo",
    "--tag=6.5.0",
    "--export",
  ],
  ["create", "source", "bucket", "b", "--bucket-name=b", "--endpoint=minio:9000", "--insecure", "--export"],
  ["create", "kustomization", "podinfo", "--path=./kustomize", "--prune", "--wait", "--depends-on=a,b", "--export"],
  ["create", "helmrelease", "podinfo", "--chart-ref=OCIRepository/podinfo", "--target-namespace=apps", "--export"],
  ["create", "image", "repository", "podinfo", "--image=ghcr.io/stefanprodan/podinfo", "--export"],
  ["create", "image", "policy", "podinfo", "--image-ref=podinfo", "--select-semver=5.0.x", "--export"],
  ["create", "alert", "a", "--provider-ref=slack", "--event-source=Kustomization/*", "--export"],
  ["create", "alert-provider", "slack", "--type=slack", "--channel=general", "--export"],
  ["create", "receiver", "r", "--event=ping", "--resource=GitRepository/webapp", "--export"],
  ["create", "tenant", "dev", "--with-namespace=dev", "--cluster-role=admin", "--export"],
  ["create", "secret", "git", "s", "--url=https://github.com/org/repo", "-u", "user", "-p", "pass", "--export"],
  ["create", "secret", "oci", "s", "--url=ghcr.io", "--username=u", "--password=p", "--export"],
  ["create", "secret", "proxy", "s", "--address=https://proxy:8080", "--username=u", "--password=p", "--export"],
  ["create", "secret", "receiver", "s", "--hostname=h", "--email-claim=e", "--export"],
  // failures the engine or the root's checks report: the same ✗ line and exit code
  [...GIT, "--branch=main", "--export"],
  [...GIT, URL, "--branch=main", "--namespace=Not_A_Label", "--export"],
  ["create", "source", "git", URL, "--branch=main", "--export"],
  [...GIT, "--url=ftp://example.com/repo", "--branch=main", "--export"],
];

/** Lines left to commander: unusual forms, flags with their own parsers, help. */
const HANDED_BACK: string[][] = [
  [...GIT, URL, "--export=true"],
  [...GIT, URL, "--no-export"],
  [...GIT, URL, "--export", "--"],
  [...GIT, URL, "--export", "-h"],
  [...GIT, URL, "--export", "--help"],
  [...GIT, URL, "--export", "--unknown"],
  [...GIT, URL, "--export", "-sx"],
  [...GIT, URL, "--export", "-nflux"],
  [...GIT, URL, "--export", "--interval=5 minutes"],
  [...GIT, URL, "--export", "--provider=github"],
  [...GIT, URL, "--export", "--kube-api-qps=5"],
  [...GIT, URL, "--export", "--version"],
  [...GIT, URL, "--export", "--branch"],
  [...GIT, URL, "--export", "--branch", "--tag=v1"],
  ["create", "--export", "source", "git", "podinfo", URL],
  ["create", "source"],
  ["create", "image", "policy", "p", "--image-ref=x", "--interval=1m", "--export"],
  // declared by the root and by the leaf: commander's reading depends on the position
  ["create", "secret", "receiver", "s", "--type=github", "--token", "t", "--export"],
  ["create", "sauce", "git", "podinfo"],
  ["get", "sources", "git"],
];

function leafOf(program: Command, words: string[]): Command {
  let cmd = program;
  for (const w of words) {
    const next = cmd.commands.find((c) => c.name() === w);
    if (!next) throw new Error(`no command ${words.join(" ")}`);
    cmd = next;
  }
  return cmd;
}

/** What commander's path gives the engine: the mapped options and the global flags. */
async function commanderRead(argv: string[], words: string[]) {
  const program = buildProgram(undefined, argv);
  let options: unknown;
  captureOptions(program, (_path, o) => (options = o));
  program.exitOverride();
  await program.parseAsync(normalizeBoolArgs(argv), { from: "user" });
  return { options, globals: globalsFrom(leafOf(program, words)) };
}

function leafRun(line: HotLine) {
  const leaf = hotLeaves[line.path];
  if (!leaf) throw new Error(`no hot leaf ${line.path}`);
  return leaf;
}

function hotLine(argv: string[]): HotLine {
  const line = readHotLine(table, argv, {});
  if (!line) throw new Error(`the hot path handed back: ${argv.join(" ")}`);
  return line;
}

async function hotRun(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const line = hotLine(argv);
  const code = await leafRun(line).run(line, {
    stdout: { write: (s: string) => ((stdout += s), true), isTTY: false },
    stderr: { write: (s: string) => ((stderr += s), true), isTTY: false },
    get stdin(): never {
      throw new Error("stdin read");
    },
  });
  return { code, stdout, stderr };
}

describe("the hot path of create", () => {
  it("has a mapper and engine for every create leaf, and a table row for each", () => {
    const leaves = (cmd: Command, words: string[]): string[] =>
      cmd.commands.length === 0 ? [words.join(" ")] : cmd.commands.flatMap((c) => leaves(c, [...words, c.name()]));
    const tree = leaves(leafOf(buildProgram(), ["create"]), ["create"]).sort();
    expect(Object.keys(hotLeaves).sort()).toEqual(tree);
    expect(table.leaves.map((l) => l.words.join(" ")).sort()).toEqual(tree);
  });

  it("reads plain command lines into the options and global flags commander's path gives", async () => {
    for (const argv of HOT) {
      const line = hotLine(argv);
      const words = line.path.split(" ");
      let expected: unknown;
      try {
        expected = await commanderRead(argv, words);
      } catch (err) {
        // the root's check of --namespace throws on both paths
        expect(() => hotInvocation(line)).toThrow((err as Error).message);
        continue;
      }
      const inv = hotInvocation(line);
      expect({ options: leafRun(line).options(line), globals: inv.globals }, argv.join(" ")).toEqual(expected);
    }
  });

  it("prints what the whole CLI prints, with the same exit code", async () => {
    const codes = new Set<number>();
    for (const argv of HOT) {
      const hot = await hotRun(argv);
      const whole = await runCli(argv);
      expect(hot, argv.join(" ")).toEqual({ code: whole.code, stdout: whole.stdout, stderr: whole.stderr });
      codes.add(hot.code);
      if (hot.code !== 0) expect(hot.stderr).toMatch(/^\u2717 /m);
    }
    // both objects printed and failures reported
    expect([...codes].sort()).toEqual([0, 1]);
  });

  it("hands every other line back to commander", () => {
    for (const argv of HANDED_BACK) expect(readHotLine(table, argv, {}), argv.join(" ")).toBeUndefined();
  });

  it("reads every line the same from its own leaf's cut of the table, as the built CLI does", () => {
    const tables = hotTableTexts(table);
    expect(Object.keys(tables.leaves).sort()).toEqual(table.leaves.map((l) => l.words.join(" ")).sort());
    for (const argv of [...HOT, ...HANDED_BACK]) {
      const own = leafTable(tables, argv);
      const whole = readHotLine(table, argv, {});
      expect(own ? readHotLine(own, argv, {}) : undefined, argv.join(" ")).toEqual(whole);
    }
    expect(leafTable(tables, ["create", "nothing"])).toBeUndefined();
  });

  it("hands a line back when a variable sets one of its flags", () => {
    const argv = BENCH_LINE;
    expect(readHotLine(table, argv, {})).toBeDefined();
    expect(readHotLine(table, argv, { FLUX_SYSTEM_NAMESPACE: "apps" })).toBeUndefined();
  });

  it("computes the defaults that depend on the environment when it reads the line", () => {
    expect(table.runtime).toEqual(["cacheDir"]);
    expect(JSON.stringify(table)).not.toContain("/tsflux-a");
    expect(JSON.stringify(table)).not.toContain("/tsflux-b");
    const line = hotLine(BENCH_LINE);
    expect(line.globalValues.cacheDir).toBe(buildProgram().opts().cacheDir);
  });
});
