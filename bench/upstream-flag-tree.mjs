#!/usr/bin/env node
// Writes test/fixtures/upstream-flag-tree.json from upstream flux's own help output:
// every command path with its aliases and flags (local plus inherited from its
// parents, less the root's global flags), and the root's global flags. Only bench/
// may run upstream flux; the test that compares the trees reads the checked-in list.
//
//   node bench/upstream-flag-tree.mjs [path/to/upstream/flux]
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const flux = process.argv[2] ?? join(homedir(), ".cache/tsflux/bench/flux-v2.9.5/flux");
const version = execFileSync(flux, ["--version"], { encoding: "utf8" }).trim().split(" ").pop();

function help(path) {
  return execFileSync(flux, [...path, "--help"], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: "/root", KUBECONFIG: "/nonexistent" },
  });
}

/** The lines of one help section ("Flags:", "Global Flags:", "Available Commands:"). */
function section(text, title) {
  const lines = text.split("\n");
  const start = lines.indexOf(`${title}:`);
  if (start < 0) return [];
  const out = [];
  for (const line of lines.slice(start + 1)) {
    if (line === "" || !line.startsWith(" ")) break;
    out.push(line);
  }
  return out;
}

// pflag's FlagUsages: "  -s, --name type   usage (default x)"; continuation lines of a
// multi-line usage are indented past the flag column.
const FLAG = /^  (?:-(\S), |    )--([A-Za-z0-9][\w.-]*)(?: (\S+))?(?: {2,}(.*))?$/;

function flags(lines) {
  const out = [];
  for (const line of lines) {
    const m = FLAG.exec(line);
    if (m) {
      out.push({ name: m[2], shorthand: m[1] ?? "", type: m[3] ?? "", usage: m[4] ?? "" });
    } else if (out.length > 0) {
      out[out.length - 1].usage += `\n${line.trim()}`;
    } else {
      throw new Error(`unparsed flag line: ${JSON.stringify(line)}`);
    }
  }
  return out.map(({ name, shorthand, type, usage }) => {
    const d = /\(default (.*)\)$/s.exec(usage);
    return { name, shorthand, type, default: d ? d[1] : "" };
  });
}

const root = help([]);
const globals = flags(section(root, "Flags"));
// A root flag as every command inherits it (install's own `-v, --version string` is not the root's `--version`).
const isGlobal = (f) => globals.some((g) => g.name === f.name && g.type === f.type && g.shorthand === f.shorthand);
const commands = {};

function walk(path, text) {
  const aliasLines = section(text, "Aliases");
  const aliases = aliasLines.length ? aliasLines[0].trim().split(/,\s*/).slice(1) : [];
  const own = [...flags(section(text, "Flags")), ...flags(section(text, "Global Flags"))]
    .filter((f) => !isGlobal(f) && f.name !== "help")
    .sort((a, b) => a.name.localeCompare(b.name));
  if (path.length > 0) commands[path.join(" ")] = { aliases, flags: own };
  for (const line of section(text, "Available Commands")) {
    const name = line.trim().split(/\s+/)[0];
    if (name === "help" && path.length > 0) continue;
    walk([...path, name], help([...path, name]));
  }
}
walk([], root);

const tree = {
  comment: `Taken from upstream flux ${version}'s --help by bench/upstream-flag-tree.mjs; do not edit by hand.`,
  version,
  globals: globals.filter((f) => f.name !== "help").sort((a, b) => a.name.localeCompare(b.name)),
  commands,
};
const target = new URL("../test/fixtures/upstream-flag-tree.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(tree, null, 2)}\n`);
const count = Object.values(commands).reduce((n, c) => n + c.flags.length, 0);
console.log(`${Object.keys(commands).length} commands, ${count} flags, ${tree.globals.length} global flags`);
