// Flag helpers that give commander pflag's semantics: Go durations, `--flag=false`
// for booleans, comma-separated string slices, and enum values with upstream's wording.
import { Command, InvalidArgumentError, Option } from "commander";
import { LOG_LEVELS } from "../install/options.js";
import { DurationError, parseDurationNs } from "../util/duration.js";
import { goInt, goQuote, stringToString } from "../util/flag-values.js";
import { collectArray, collectSlice } from "./slices.js";

/**
 * What the hot path of `create …` (src/cli/hot-line.ts) may read of a flag's values
 * without commander: slices split on commas, durations checked as durationArg does.
 * Flags with any other parser are left to commander.
 */
const parsedKinds = new WeakMap<Option, "slice" | "duration">();

/** How the hot path reads a flag; "other" leaves the command line to commander. */
export function hotFlagKind(opt: Option): "bool" | "string" | "slice" | "duration" | "other" {
  const o = opt as Option & { implied?: unknown; conflictsWith: string[] };
  if (o.hidden || o.implied !== undefined || o.conflictsWith.length > 0 || o.variadic || o.optional) return "other";
  if (!o.required) return o.negate ? "other" : "bool";
  if (!o.parseArg) return "string";
  return parsedKinds.get(opt) ?? "other";
}

/** Names of boolean flags (without dashes), so `--name=false` can be rewritten before parsing. */
export const booleanFlags = new Set<string>();

export function durationArg(value: string): string {
  try {
    parseDurationNs(value);
  } catch (err) {
    if (err instanceof DurationError) throw new InvalidArgumentError(err.message);
    throw err;
  }
  return value;
}

function splitLongName(flags: string): string {
  const name = /--([a-z0-9-]+)/.exec(flags)?.[1];
  if (!name) throw new Error(`flag without a long name: ${flags}`);
  return name;
}

/** A boolean flag that also accepts `--name=true|false` (pflag style). */
export function boolFlag(cmd: Command, flags: string, description: string, defaultValue = false): Command {
  const name = splitLongName(flags);
  booleanFlags.add(name);
  cmd.addOption(new Option(flags, description).default(defaultValue));
  cmd.addOption(new Option(`--no-${name}`).hideHelp());
  return cmd;
}

export function durationFlag(cmd: Command, flags: string, description: string, defaultValue?: string): Command {
  const opt = new Option(flags, description).argParser(durationArg);
  parsedKinds.set(opt, "duration");
  if (defaultValue !== undefined) opt.default(defaultValue);
  return cmd.addOption(opt);
}

export { collectArray, collectSlice } from "./slices.js";

/** A string slice flag; given values replace the default (pflag), they are not added to it. */
export function sliceFlag(cmd: Command, flags: string, description: string, defaultValue?: string[]): Command {
  const opt = new Option(flags, description).argParser((value: string, previous: string[] | undefined) =>
    collectSlice(value, previous === defaultValue ? undefined : previous),
  );
  parsedKinds.set(opt, "slice");
  if (defaultValue !== undefined) opt.default(defaultValue);
  return cmd.addOption(opt);
}

/**
 * pflag's stringToString (`--local-sources Kind/ns/name=path,...`): each value is checked
 * as it is read; the mapper gets the values as given (stringToString merges them).
 */
export function stringToStringFlag(cmd: Command, flags: string, description: string, defaultValue?: string[]): Command {
  const opt = new Option(flags, description).argParser((value: string, previous: string[] | undefined) => {
    stringToString(value);
    return collectArray(value, previous === defaultValue ? undefined : previous);
  });
  if (defaultValue !== undefined) opt.default(defaultValue);
  return cmd.addOption(opt);
}

export function arrayFlag(cmd: Command, flags: string, description: string): Command {
  return cmd.addOption(new Option(flags, description).argParser(collectArray));
}

/** pflag's int: strconv.ParseInt's wording on bad input. */
export function goIntArg(value: string): number {
  try {
    return goInt(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** pflag's float32: strconv.ParseFloat's wording on bad input. */
export function goFloatArg(value: string): number {
  const n = Number(value);
  if (value.trim() !== value || value === "" || Number.isNaN(n) || /^0[xob]/i.test(value))
    throw new InvalidArgumentError(`strconv.ParseFloat: parsing ${JSON.stringify(value)}: invalid syntax`);
  return n;
}

export function intFlag(cmd: Command, flags: string, description: string, defaultValue?: number): Command {
  const opt = new Option(flags, description).argParser(goIntArg);
  if (defaultValue !== undefined) opt.default(defaultValue);
  return cmd.addOption(opt);
}

export function float32Flag(cmd: Command, flags: string, description: string, defaultValue?: number): Command {
  const opt = new Option(flags, description).argParser(goFloatArg);
  if (defaultValue !== undefined) opt.default(defaultValue);
  return cmd.addOption(opt);
}

/**
 * A pflag custom Value flag, as upstream's internal/flags types: the help shows its type
 * name (`--log-level debug|info|error`), and the value is checked as it is parsed, with
 * the type's own Set error (pflag prefixes `invalid argument "v" for "--flag" flag: `).
 */
export function typedFlag<T>(
  cmd: Command,
  flags: string,
  description: string,
  parse: (value: string) => T,
  defaultValue?: T,
): Command {
  const opt = new Option(flags, description).argParser((value: string) => {
    try {
      return parse(value);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  });
  if (defaultValue !== undefined) opt.default(defaultValue);
  return cmd.addOption(opt);
}

/**
 * A string flag whose value one of upstream's flag Value types checks as it is read
 * (src/util/flag-values.ts); the mapper gets the string as given.
 */
export function checkedFlag(
  cmd: Command,
  flags: string,
  description: string,
  check: (value: string) => unknown,
  defaultValue?: string,
): Command {
  return typedFlag(
    cmd,
    flags,
    description,
    (value) => {
      check(value);
      return value;
    },
    defaultValue,
  );
}

/** A value from a fixed list, or the error upstream's type gives (empty, or not one of them). */
export function oneOf(
  allowed: readonly string[],
  errors: { empty?: string; unsupported: (value: string) => string },
): (value: string) => string {
  return (value) => {
    if (value.trim() === "" && errors.empty) throw new Error(errors.empty);
    if (!allowed.includes(value)) throw new Error(errors.unsupported(value));
    return value;
  };
}

/** flags.LogLevel: --log-level of install and bootstrap, --level of logs. */
export const logLevelArg = oneOf(LOG_LEVELS, {
  empty: `no log level given, must be one of: ${LOG_LEVELS.join(", ")}`,
  unsupported: (v) => `unsupported log level '${v}', must be one of: ${LOG_LEVELS.join(", ")}`,
});

/** An enum flag; invalid values get upstream's "must be one of" wording. */
export function enumFlag(
  cmd: Command,
  flags: string,
  description: string,
  allowed: readonly string[],
  defaultValue?: string,
): Command {
  const opt = new Option(flags, `${description}, available options are: (${allowed.join(", ")})`).argParser(
    (value: string) => {
      if (!allowed.includes(value)) {
        throw new InvalidArgumentError(`unsupported value '${value}', must be one of: ${allowed.join(", ")}`);
      }
      return value;
    },
  );
  if (defaultValue !== undefined) opt.default(defaultValue);
  return cmd.addOption(opt);
}

/**
 * -o with a fixed set of formats, listed in the help as enumFlag lists them; the engine
 * checks the value through src/output/printers.ts, so every -o rejects an unknown
 * format with one message (and a diff with its exit code 2).
 */
export function outputFlag(
  cmd: Command,
  description: string,
  formats: readonly string[],
  defaultValue?: string,
): Command {
  const opt = new Option("-o, --output <string>", `${description}, available options are: (${formats.join(", ")})`);
  if (defaultValue !== undefined) opt.default(defaultValue);
  return cmd.addOption(opt);
}

const TRUE_WORDS = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE_WORDS = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/** A command line pflag would reject while reading it; the message is pflag's. */
export class FlagError extends Error {}

/**
 * Rewrites pflag-style `--flag=true|false` for boolean flags into commander's
 * `--flag` / `--no-flag`. Stops at `--`.
 */
export function normalizeBoolArgs(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    const m = /^--([a-z0-9-]+)=(.*)$/s.exec(arg);
    const [, name = "", value = ""] = m ?? [];
    if (m && booleanFlags.has(name)) {
      if (TRUE_WORDS.has(value)) out.push(`--${name}`);
      else if (FALSE_WORDS.has(value)) out.push(`--no-${name}`);
      else
        throw new FlagError(
          `invalid argument ${goQuote(value)} for "--${name}" flag: strconv.ParseBool: parsing ${goQuote(value)}: invalid syntax`,
        );
      continue;
    }
    out.push(arg);
  }
  return out;
}

/**
 * commander lets the root's `--version` (print the CLI version) win over a subcommand's
 * own `--version <string>` (install, bootstrap), unlike cobra. After such a subcommand's
 * name, `--version` / `--version=X` is rewritten to that command's short flag, so
 * `flux install --version v2.9.5` selects the distribution version as upstream does.
 */
export function routeSubcommandVersion(program: Command, args: string[]): string[] {
  let cmd = program;
  let start = -1;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (a === "--") return args;
    if (a.startsWith("-")) {
      const opt =
        cmd.options.find((o) => o.long === a || o.short === a) ??
        program.options.find((o) => o.long === a || o.short === a);
      if (opt && (opt.required || opt.optional) && !a.includes("=")) i++;
      continue;
    }
    const sub = cmd.commands.find((c) => c.name() === a || c.aliases().includes(a));
    if (!sub) break;
    cmd = sub;
    start = i;
  }
  if (cmd === program) return args;
  // The flag may be the command's own or a parent's (bootstrap declares it for its sub-commands).
  let short: string | undefined;
  for (let c: Command | null = cmd; c && c !== program && !short; c = c.parent)
    short = c.options.find((o) => o.long === "--version" && o.short)?.short;
  if (!short) return args;
  const end = args.includes("--") ? args.indexOf("--") : args.length;
  return args.map((a, idx) => {
    if (idx <= start || idx >= end) return a;
    if (a === "--version") return short;
    if (a.startsWith("--version=")) return `${short}${a.slice("--version=".length)}`;
    return a;
  });
}

/** The option a `-x` shorthand names in cmd or the commands above it. */
function findShort(cmd: Command, short: string): Option | undefined {
  for (let c: Command | null = cmd; c; c = c.parent) {
    const opt = c.options.find((o) => o.short === short);
    if (opt) return opt;
  }
  return undefined;
}

function findLong(cmd: Command, long: string): Option | undefined {
  for (let c: Command | null = cmd; c; c = c.parent) {
    const opt = c.options.find((o) => o.long === long);
    if (opt) return opt;
  }
  return undefined;
}

/**
 * pflag's shorthand forms, which commander reads differently: `-n=foo` is "foo" (commander:
 * "=foo"), booleans group (`-sA`) and take `-s=false`. A value flag's shorthand takes the
 * rest of its word (`-nfoo`, `-n=foo`) or the next word (`-n foo`); a boolean's `=value`
 * becomes `--long=value` for normalizeBoolArgs. Unknown shorthands stay for commander to
 * report. Stops at `--`.
 */
export function normalizeShorthands(program: Command, args: string[]): string[] {
  const out: string[] = [];
  let cmd = program;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    if (arg.startsWith("--")) {
      out.push(arg);
      const opt = findLong(cmd, arg.split("=")[0] ?? "");
      if (opt && (opt.required || opt.optional) && !arg.includes("=") && i + 1 < args.length) out.push(args[++i] ?? "");
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      let j = 1;
      for (; j < arg.length; j++) {
        const short = `-${arg.charAt(j)}`;
        const opt = findShort(cmd, short);
        if (!opt) {
          out.push(`-${arg.slice(j)}`);
          break;
        }
        const rest = arg.slice(j + 1);
        if (opt.required || opt.optional) {
          out.push(short);
          if (rest !== "") out.push(rest.startsWith("=") ? rest.slice(1) : rest);
          else if (i + 1 < args.length) out.push(args[++i] ?? "");
          break;
        }
        if (rest.startsWith("=")) {
          out.push(`${opt.long}${rest}`);
          break;
        }
        out.push(short);
      }
      continue;
    }
    out.push(arg);
    const sub = cmd.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (sub) cmd = sub;
  }
  return out;
}

/** The command a command line runs (cobra's Find): command words, skipping flags and their values. */
function commandOf(program: Command, args: string[]): Command | undefined {
  let cmd = program;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--") break;
    if (arg.startsWith("-") && arg !== "-") {
      const name = arg.startsWith("--") ? (arg.split("=")[0] ?? "") : arg.slice(0, 2);
      const opt = name.startsWith("--") ? findLong(cmd, name) : findShort(cmd, name);
      const inline = arg.startsWith("--") ? arg.includes("=") : arg.length > 2;
      if (opt && (opt.required || opt.optional) && !inline) i++;
      continue;
    }
    const sub = cmd.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (sub) cmd = sub;
    else if (cmd.commands.length > 0 && cmd.registeredArguments.length === 0) return undefined; // an unknown command
  }
  return cmd;
}

/** pflag's name of a flag in its errors: "-A, --all-namespaces" or "--timeout". */
function pflagName(opt: Option): string {
  return opt.short ? `${opt.short}, ${opt.long}` : (opt.long ?? "");
}

/**
 * pflag reads the command line once, left to right, and stops at the first flag it
 * cannot take: an unknown flag, a missing value, or a value its type rejects. commander
 * reads each command's own flags in turn (the root's, then the group's, then the
 * leaf's) and unknown flags last, so with several bad flags it would name another one.
 * This pass reads `args` (after normalizeShorthands) as pflag does against the flags
 * of the command it runs and its parents, running each flag's parser (argParser: the
 * Value types of src/util/flag-values.ts, durations, ints, booleans) on its value, and
 * throws pflag's error for the first bad flag. Commands that take any flag (`__complete`)
 * and command lines that name no command are left to commander.
 */
export function checkFlagsInOrder(program: Command, args: string[]): void {
  const cmd = commandOf(program, args);
  if (!cmd) return;
  for (let c: Command | null = cmd; c; c = c.parent) {
    if ((c as unknown as { _allowUnknownOption?: boolean })._allowUnknownOption) return;
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--") return;
    if (!arg.startsWith("-") || arg === "-") continue;
    const long = arg.startsWith("--");
    const eq = long ? arg.indexOf("=") : -1;
    const name = eq >= 0 ? arg.slice(0, eq) : long ? arg : arg.slice(0, 2);
    if (name === "--help" || name === "-h") continue;
    const opt = long ? findLong(cmd, name) : findShort(cmd, name);
    if (!opt) {
      throw new FlagError(long ? `unknown flag: ${name}` : `unknown shorthand flag: '${arg[1]}' in ${arg}`);
    }
    const takesValue = opt.required || opt.optional;
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (!long && arg.length > 2) value = arg.slice(2);
    else if (!takesValue) continue;
    else if (i + 1 < args.length) value = args[++i] ?? "";
    else
      throw new FlagError(long ? `flag needs an argument: ${name}` : `flag needs an argument: '${arg[1]}' in ${arg}`);
    if (!takesValue) {
      if (!TRUE_WORDS.has(value) && !FALSE_WORDS.has(value))
        throw new FlagError(
          `invalid argument ${goQuote(value)} for "${pflagName(opt)}" flag: strconv.ParseBool: parsing ${goQuote(value)}: invalid syntax`,
        );
      continue;
    }
    if (!opt.parseArg) continue;
    try {
      opt.parseArg(value, undefined);
    } catch (err) {
      throw new FlagError(`invalid argument ${goQuote(value)} for "${pflagName(opt)}" flag: ${(err as Error).message}`);
    }
  }
}
