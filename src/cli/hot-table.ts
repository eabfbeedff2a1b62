// The table the hot path of `create …` reads command lines against (src/cli/hot-line.ts),
// taken from commander's own tree when the CLI is built (scripts/build.mjs): the flags
// stay declared once, in commands/. Never part of the CLI bundles.
import type { Command } from "commander";
import { hotFlagKind } from "./flags.js";
import {
  RUNTIME_DEFAULTS,
  type HotFlag,
  type HotFlagKind,
  type HotLeaf,
  type HotLevel,
  type HotTable,
  type HotTableTexts,
} from "./hot-line.js";

/** Builds the program a command line gets (the whole tree when argv is undefined). */
export type ProgramBuilder = (argv?: string[]) => Command;

function leafPaths(cmd: Command, words: string[]): string[][] {
  if (cmd.commands.length === 0) return [words];
  return cmd.commands.flatMap((sub) => leafPaths(sub, [...words, sub.name()]));
}

function leafOf(program: Command, words: string[]): Command[] {
  const path = [program];
  let cmd = program;
  for (const w of words) {
    const next = cmd.commands.find((c) => c.name() === w);
    if (!next) throw new Error(`no command ${words.join(" ")}`);
    path.push(next);
    cmd = next;
  }
  return path;
}

function level(cmd: Command, isRoot: boolean): HotLevel {
  const versionName = (cmd as unknown as { _versionOptionName?: string })._versionOptionName;
  const flags: HotFlag[] = [];
  for (const o of cmd.options) {
    const kind = hotFlagKind(o);
    // the root's --version prints the version: commander's business
    if (kind === "other" || !o.long || (isRoot && o.attributeName() === versionName)) continue;
    const flag: HotFlag = { long: o.long, name: o.attributeName(), kind: kind satisfies HotFlagKind };
    if (o.short) flag.short = o.short;
    flags.push(flag);
  }
  return {
    defaults: { ...cmd.opts() },
    flags,
    names: cmd.options.map((o) => o.attributeName()),
    env: cmd.options.flatMap((o) => (o.envVar ? [o.envVar] : [])),
  };
}

function leafRow(path: Command[], words: string[]): HotLeaf {
  const leaf = path.at(-1);
  if (!leaf) throw new Error("an empty command path");
  const count = new Map<string, number>();
  for (const c of path)
    for (const o of c.options) for (const n of [o.long, o.short]) if (n) count.set(n, (count.get(n) ?? 0) + 1);
  const registered = leaf.registeredArguments;
  const excess = (leaf as unknown as { _allowExcessArguments: boolean })._allowExcessArguments;
  return {
    words,
    ambiguous: [...count].filter(([, n]) => n > 1).map(([name]) => name),
    args: {
      min: registered.filter((a) => a.required).length,
      max: excess || registered.some((a) => a.variadic) ? null : registered.length,
    },
  };
}

/** Runs `fn` with `env` set over process.env, and puts the variables back. */
function withEnv<T>(env: NodeJS.ProcessEnv, fn: () => T): T {
  const saved = Object.keys(env).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, env);
  try {
    return fn();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) Reflect.deleteProperty(process.env, k);
      else process.env[k] = v;
    }
  }
}

/**
 * The hot path's table for every leaf under `verb`, built under two environments that
 * differ in every variable given: a default that changes with them is computed at run
 * time (RUNTIME_DEFAULTS), and one the hot path cannot compute fails the build.
 */
export function hotTable(build: ProgramBuilder, verb: string, envs: [NodeJS.ProcessEnv, NodeJS.ProcessEnv]): HotTable {
  const verbCmd = build().commands.find((c) => c.name() === verb);
  if (!verbCmd) throw new Error(`no command ${verb}`);
  const table: HotTable = { levels: {}, runtime: [], leaves: [] };
  const runtime = new Set<string>();
  for (const words of leafPaths(verbCmd, [verb])) {
    const [a, b] = envs.map((env) =>
      withEnv(env, () => leafOf(build(words), words).map((cmd, depth) => level(cmd, depth === 0))),
    ) as [HotLevel[], HotLevel[]];
    a.forEach((lvl, depth) => {
      const other = b[depth]?.defaults ?? {};
      for (const key of new Set([...Object.keys(lvl.defaults), ...Object.keys(other)])) {
        if (JSON.stringify(lvl.defaults[key]) === JSON.stringify(other[key])) continue;
        if (depth !== 0 || !(key in RUNTIME_DEFAULTS)) {
          throw new Error(
            `${words.join(" ")}: the default of ${key} depends on the environment; add it to RUNTIME_DEFAULTS in src/cli/hot-line.ts`,
          );
        }
        runtime.add(key);
      }
      if (depth === 0) lvl.defaults = Object.fromEntries(Object.entries(lvl.defaults).filter(([k]) => !runtime.has(k)));
      for (const [key, v] of Object.entries(lvl.defaults))
        if (!isPlain(v)) throw new Error(`${words.join(" ")}: the default of ${key} is not plain data`);
      const name = words.slice(0, depth).join(" ");
      const before = table.levels[name];
      if (before && JSON.stringify(before) !== JSON.stringify(lvl)) throw new Error(`"${name}" differs between leaves`);
      table.levels[name] = lvl;
    });
    table.leaves.push(leafRow(leafOf(build(words), words), words));
  }
  table.runtime = [...runtime];
  return table;
}

/**
 * The table as JSON texts, one per level and one per leaf: a command line parses only
 * its own leaf and the levels on its path (about a tenth of the whole table).
 */
export function hotTableTexts(table: HotTable): HotTableTexts {
  const texts = (entries: [string, unknown][]) => Object.fromEntries(entries.map(([k, v]) => [k, JSON.stringify(v)]));
  return {
    levels: texts(Object.entries(table.levels)),
    leaves: texts(table.leaves.map((leaf) => [leaf.words.join(" "), leaf])),
    runtime: table.runtime,
  };
}

/** A value the table can carry as JSON and hand over unchanged. */
function isPlain(v: unknown): boolean {
  if (Array.isArray(v)) return v.every((x) => typeof x === "string");
  return typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
}
