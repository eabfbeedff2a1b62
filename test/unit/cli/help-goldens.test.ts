// tsflux's help against upstream flux v2.9.5's, byte for byte: the outputs of upstream's
// binary for a set of command lines are checked in (test/golden/upstream-help, written by
// bench/upstream-help-goldens.mjs, see its PROVENANCE), and tsflux must print the same.
// Two edits only, each read from a checked-in list rather than written here:
// - what tsflux still lacks (test/fixtures/flag-tree-known-missing.json: commands and
//   flags) is taken out of upstream's output, so the test tightens as that list shrinks;
// - tsflux's deliberate extra flags (README, "Differences from upstream") are taken out
//   of tsflux's output.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";

const DIR = new URL("../../golden/upstream-help/", import.meta.url);

/** Flags tsflux adds on purpose, by the command that declares them (and its subcommands). */
export const DELIBERATE_EXTRA_FLAGS: Record<string, string[]> = {
  // -o json|yaml where upstream prints only a table; --show-managed-fields for it (README)
  get: ["output", "show-managed-fields"],
};

const known = JSON.parse(
  readFileSync(new URL("../../fixtures/flag-tree-known-missing.json", import.meta.url), "utf8"),
) as { commands: string[]; flags: string[]; globals: string[] };

interface HelpCase {
  file: string;
  args: string[];
}

function cases(): HelpCase[] {
  return readFileSync(new URL("PROVENANCE", DIR), "utf8")
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const [file, , flux, ...args] = l.split(" ");
      if (file === undefined || flux !== "flux") throw new Error(`PROVENANCE: cannot read ${l}`);
      return { file, args };
    });
}

/** The command path a help command line shows ("help create source git" → "create source git"). */
function pathOf(args: string[]): string {
  const words = args.filter((a) => !a.startsWith("-"));
  return (words[0] === "help" ? words.slice(1) : words).join(" ");
}

const FLAG_LINE = /^ {2}(?:-\S, | {4})--([\w-]+)/;

/** The flag a help line lists, if it lists one. */
const flagOf = (line: string): string | undefined => FLAG_LINE.exec(line)?.[1];

/** Text up to the first space. */
const firstWord = (text: string): string => text.replace(/ .*/s, "");

function dropLines(text: string, drop: (line: string) => boolean): string {
  return text
    .split("\n")
    .filter((l) => !drop(l))
    .join("\n");
}

/** Upstream's help less what tsflux is known to lack (flags, and subcommands in "Available Commands"). */
function expectedFor(path: string, golden: string): string {
  // "--version (shorthand -v)": the flag is there, its shorthand is not.
  const missingShorthands = known.globals.filter((g) => g.includes("(shorthand")).map((g) => firstWord(g).slice(2));
  const missingFlags = new Set(
    known.globals.filter((g) => !g.includes("(shorthand")).map((g) => firstWord(g).slice(2)),
  );
  for (const f of known.flags) {
    const [, cmdPath, flag] = /^(.*?) ?--([\w-]+)$/.exec(f) ?? [];
    if (flag !== undefined && cmdPath === path) missingFlags.add(flag);
  }
  const missingSubs = new Set(
    known.commands
      .filter((c) => c.split(" ").slice(0, -1).join(" ") === path)
      .map((c) => c.slice(c.lastIndexOf(" ") + 1)),
  );
  let inCommands = false;
  let text = golden;
  for (const name of missingShorthands)
    text = text.replace(new RegExp(`^  -\\S, --${name}\\b`, "m"), `      --${name}`);
  return dropLines(text, (line) => {
    if (line === "Available Commands:") inCommands = true;
    else if (!line.startsWith("  ")) inCommands = false;
    const flag = flagOf(line);
    if (flag !== undefined) return missingFlags.has(flag);
    return inCommands && missingSubs.has(firstWord(line.trim()));
  });
}

/** tsflux's help less its deliberate extra flags. */
function actualFor(path: string, output: string): string {
  const extra = new Set(
    Object.entries(DELIBERATE_EXTRA_FLAGS)
      .filter(([cmd]) => path === cmd || path.startsWith(`${cmd} `))
      .flatMap(([, flags]) => flags),
  );
  return dropLines(output, (line) => {
    const flag = flagOf(line);
    return flag !== undefined && extra.has(flag);
  });
}

describe("help is upstream's, byte for byte", () => {
  const all = cases();

  it("has the goldens PROVENANCE lists", () => {
    expect(all.length).toBeGreaterThanOrEqual(20);
  });

  for (const c of all) {
    it(`flux ${c.args.join(" ")}`, async () => {
      const golden = readFileSync(new URL(c.file, DIR), "utf8");
      // Flag defaults computed from $HOME (--cache-dir) as the goldens were written.
      const home = process.env.HOME;
      process.env.HOME = "/root";
      try {
        const res = await runCli(c.args);
        expect(res.code).toBe(0);
        expect(res.stderr).toBe("");
        const path = pathOf(c.args);
        expect(actualFor(path, res.stdout)).toBe(expectedFor(path, golden));
      } finally {
        process.env.HOME = home;
      }
    });
  }
});

describe("help command and groups", () => {
  it("prints a group's help on stdout with exit 0 when it is run without a subcommand (as cobra)", async () => {
    const group = await runCli(["create", "source"]);
    const help = await runCli(["create", "source", "--help"]);
    expect(group).toMatchObject({ code: 0, stderr: "" });
    expect(group.stdout).toBe(help.stdout);
  });

  it("`help <path>` is the command's --help", async () => {
    const viaHelp = await runCli(["help", "get", "ks"]);
    const viaFlag = await runCli(["get", "kustomizations", "--help"]);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
  });

  it("names an unknown help topic and prints the root's usage, as cobra does", async () => {
    const res = await runCli(["help", "get", "frobnicate"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Unknown help topic \[`get` `frobnicate`\]\nUsage:\n {2}flux \[command\]\n/);
    expect(res.stdout).not.toMatch(/^ {2}-h, --help/m);
  });
});
