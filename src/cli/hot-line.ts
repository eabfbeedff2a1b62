// The hot path of `flux create … --export` (issue 17: start-up within 1.2× `node -e 0`).
// commander costs milliseconds before it reads a word: a Command per level, an Option
// object for each of the 45 flags a leaf and its parents declare, its parser. Here a
// command line of the plain forms scripts write (`--flag=value`, `--flag value`, `-n
// value`, `--export`, the object's name) is read against a table of the leaf's flags
// that scripts/build.mjs takes from commander's own tree (src/cli/hot-table.ts): names,
// kinds and the values commander starts from. Anything else (a shorthand group, `=` on a
// boolean, `--`, help, an unknown flag, a flag with its own parser, a bad duration, an
// environment variable that sets a flag) returns undefined, and the line goes to the
// whole commander tree, which reads or rejects it with its own messages. Both paths
// run the same mapper and engine (a leaf's `binding`) and report failures alike.
import { defaultKubeCacheDir, type IO } from "../deps.js";
import { createLogger } from "../output/logger.js";
import { parseDurationNs } from "../util/duration.js";
import type { Binding } from "./action.js";
import { globalsFromValues } from "./context.js";
import { guardFailures, reportFailure } from "./failure.js";
import { Invocation } from "./invocation.js";
import { collectSlice } from "./slices.js";

/** How the hot path reads a flag's value (src/cli/flags.ts's hotFlagKind). */
export type HotFlagKind = "bool" | "string" | "slice" | "duration";

export interface HotFlag {
  long: string;
  short?: string;
  /** commander's attribute name (camelCase). */
  name: string;
  kind: HotFlagKind;
}

/** One command of a leaf's path (the root, `create`, `create source`, `create source git`). */
export interface HotLevel {
  /** The option values commander starts from (its defaults). */
  defaults: Record<string, unknown>;
  /** The flags the hot path reads. */
  flags: HotFlag[];
  /** Every flag's attribute name: a leaf's own flags shadow the global flags of the same name. */
  names: string[];
  /** Environment variables that set a flag: when one is set, commander reads the line. */
  env: string[];
}

/** One leaf command (`create source git`). */
export interface HotLeaf {
  /** The command words, verb first: ["create", "source", "git"]. */
  words: string[];
  /** Flags declared at two levels of the path: commander's reading depends on the position. */
  ambiguous: string[];
  /** Positional arguments: at least `min`, at most `max` (null: any number). */
  args: { min: number; max: number | null };
}

/** The hot path's table: levels by command path ("" for the root, "create source" …), and the leaves. */
export interface HotTable {
  levels: Record<string, HotLevel>;
  /** Root defaults that depend on the environment, computed when a line is read (RUNTIME_DEFAULTS). */
  runtime: string[];
  leaves: HotLeaf[];
}

/** Root defaults that commander computes when the program is built, from the environment. */
export const RUNTIME_DEFAULTS: Readonly<Record<string, () => unknown>> = {
  cacheDir: defaultKubeCacheDir,
};

/** A command line the hot path read. */
export interface HotLine {
  /** The leaf's command words, space-separated ("create source git"). */
  path: string;
  args: string[];
  /** Every flag's value, as commander's `{ ...optsWithGlobals(), ...opts() }`. */
  values: Record<string, unknown>;
  /** The global flags' values (without the leaf's own), as globalsFrom reads them. */
  globalValues: Record<string, unknown>;
  given: Set<string>;
}

/** The levels of a leaf's path, root first, each with the values the line gives its flags. */
function levelsOf(table: HotTable, words: string[]): { level: HotLevel; given: Record<string, unknown> }[] | undefined {
  const out = [];
  for (let n = 0; n <= words.length; n++) {
    const level = table.levels[words.slice(0, n).join(" ")];
    if (!level) return undefined;
    out.push({ level, given: {} });
  }
  return out;
}

/** The table as the built CLI carries it (src/cli/hot-table.ts hotTableTexts): JSON texts by level and by leaf. */
export interface HotTableTexts {
  levels: Readonly<Record<string, string>>;
  leaves: Readonly<Record<string, string>>;
  runtime: string[];
}

/** The part of the table the leaf `argv` names (its longest run of command words) needs: that leaf and its path's levels. */
export function leafTable(texts: HotTableTexts, argv: readonly string[]): HotTable | undefined {
  for (let n = argv.length; n > 0; n--) {
    const leafText = texts.leaves[argv.slice(0, n).join(" ")];
    if (leafText === undefined) continue;
    const leaf = JSON.parse(leafText) as HotLeaf;
    const levels: Record<string, HotLevel> = {};
    for (let depth = 0; depth <= leaf.words.length; depth++) {
      const name = leaf.words.slice(0, depth).join(" ");
      const text = texts.levels[name];
      if (text !== undefined) levels[name] = JSON.parse(text) as HotLevel;
    }
    return { levels, runtime: texts.runtime, leaves: [leaf] };
  }
  return undefined;
}

/** Reads `argv` against the table, or undefined when commander must read it. */
export function readHotLine(
  table: HotTable,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): HotLine | undefined {
  let leaf: HotLeaf | undefined;
  for (const l of table.leaves) {
    if (l.words.every((w, i) => argv[i] === w) && (!leaf || l.words.length > leaf.words.length)) leaf = l;
  }
  const path = leaf && levelsOf(table, leaf.words);
  if (!leaf || !path) return undefined;
  if (path.some(({ level }) => level.env.some((name) => env[name] !== undefined))) return undefined;
  const givenNames = new Set<string>();
  const args: string[] = [];
  for (let i = leaf.words.length; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("-")) {
      args.push(arg);
      continue;
    }
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (leaf.ambiguous.includes(name)) return undefined;
    let found: { flag: HotFlag; given: Record<string, unknown> } | undefined;
    for (const { level, given } of path) {
      const flag = level.flags.find((f) => f.long === name || f.short === name);
      if (flag) {
        found = { flag, given };
        break;
      }
    }
    if (!found) return undefined;
    const { flag, given } = found;
    givenNames.add(flag.name);
    if (flag.kind === "bool") {
      if (eq >= 0) return undefined;
      given[flag.name] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith("-"))) return undefined;
    switch (flag.kind) {
      case "string":
        given[flag.name] = value;
        break;
      case "slice": {
        // given values replace the default, as sliceFlag's parser does
        const before = given[flag.name];
        given[flag.name] = collectSlice(value, Array.isArray(before) ? (before as string[]) : undefined);
        break;
      }
      case "duration":
        try {
          parseDurationNs(value);
        } catch {
          return undefined;
        }
        given[flag.name] = value;
        break;
    }
  }
  if (args.length < leaf.args.min || (leaf.args.max !== null && args.length > leaf.args.max)) return undefined;
  const merged = path.map(({ level, given }) => ({ ...level.defaults, ...given }));
  const [root] = merged;
  for (const key of table.runtime) {
    const compute = RUNTIME_DEFAULTS[key];
    if (root && compute) root[key] ??= compute();
  }
  const own = new Set(path.at(-1)?.level.names);
  const globals = Object.entries(Object.assign({}, ...merged.slice(0, -1)) as Record<string, unknown>);
  return {
    path: leaf.words.join(" "),
    args,
    values: Object.assign({}, ...merged) as Record<string, unknown>,
    globalValues: Object.fromEntries(globals.filter(([key]) => !own.has(key))),
    given: givenNames,
  };
}

/** What a leaf's mapper reads of a line readHotLine read (the global flags checked as the root does). */
export function hotInvocation(line: HotLine, opts: { preRun?: boolean | undefined } = {}): Invocation {
  const globals = globalsFromValues(line.globalValues, line.given.has("namespace"), opts);
  return new Invocation(line.args, globals, line.values, (name) => line.given.has(name));
}

/** Runs a leaf's mapper and engine on a line readHotLine read, as `bind` does after commander parsed it. */
export async function runHotLine<O>(line: HotLine, binding: Binding<O>, processIo: IO): Promise<number> {
  const { io, failed } = guardFailures(processIo);
  const logger = createLogger({ stream: io.stderr });
  try {
    const inv = hotInvocation(line, { preRun: binding.preRun });
    const options = binding.options(inv);
    const globals = inv.globals;
    const run = await binding.engine();
    await run(options, { globals, io, logger: createLogger({ stream: io.stderr, verbose: globals.verbose }) });
    return failed() ? 1 : 0;
  } catch (err) {
    return reportFailure(err, logger);
  }
}
