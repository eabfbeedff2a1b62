// cobra's help and pflag's flag listing, so `flux <cmd> --help`, `flux help <cmd>` and the
// generated docs/cmd read as upstream's, byte for byte. The texts (Use, Aliases, Short,
// Long, Example, each flag's usage) are upstream's, dumped from its v2.9.5 command tree
// into a data file (commands/help-texts.json); flag types and defaults are tsflux's own
// declarations. The data loads only when help is shown: start-up never parses it.
import type { Command, Option } from "commander";

/** One command's texts, as upstream's cobra.Command declares them. */
export interface HelpText {
  use: string;
  aliases?: string[];
  short: string;
  long: string;
  example: string;
  /** Flag name (without dashes) → usage, for the flags this command declares. */
  flags: Record<string, string>;
}

/** Command path without the root's name ("" for the root, "get kustomizations") → texts. */
export type HelpTexts = Record<string, HelpText>;

/** Help was asked for (`--help`, `help <cmd>`, a command group run alone); shown by the program's entry. */
export class HelpRequest extends Error {
  constructor(
    readonly command: Command,
    /** Words of `flux help …` that name no command (cobra: "Unknown help topic"). */
    readonly unknownTopic?: string[],
  ) {
    super("help requested");
  }
}

// Texts of commands upstream lacks (declared next to the command with `helpText`).
const ownTexts = new WeakMap<Command, Partial<HelpText>>();

/** Long description and examples of a command upstream does not have. */
export function helpText(cmd: Command, text: { use?: string; long?: string; example?: string }): Command {
  ownTexts.set(cmd, text);
  return cmd;
}

// cobra's command groups (GroupID): a command in one is listed under its title.
const groups = new WeakMap<Command, string>();

/** Lists the command under a group title in its parent's help ("Plugin Commands:"). */
export function commandGroup(cmd: Command, title: string): Command {
  groups.set(cmd, title);
  return cmd;
}

/** The command's path below the root: "get kustomizations"; "" for the root. */
export function pathOf(cmd: Command): string {
  const names: string[] = [];
  for (let c = cmd; c.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** cobra's CommandPath: "flux get kustomizations". */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

export function isHidden(cmd: Command): boolean {
  return Boolean((cmd as unknown as { _hidden?: boolean })._hidden);
}

export function isRunnable(cmd: Command): boolean {
  return Boolean((cmd as unknown as { _actionHandler?: unknown })._actionHandler);
}

/** The texts of one command: upstream's where it has the command, else the command's own. */
export function textOf(cmd: Command, texts: HelpTexts): HelpText {
  const upstream = texts[pathOf(cmd)];
  if (upstream) return upstream;
  const own = ownTexts.get(cmd) ?? {};
  const args = cmd.registeredArguments.map((a) => {
    const name = a.name() + (a.variadic ? "..." : "");
    return a.required ? `<${name}>` : `[${name}]`;
  });
  const description = cmd.description();
  return {
    use: own.use ?? [cmd.name(), ...args].join(" "),
    short: cmd.summary() || description.split("\n")[0] || "",
    long: own.long ?? description,
    example: own.example ?? "",
    flags: {},
  };
}

/** A flag as pflag lists it. */
export interface FlagLine {
  name: string;
  shorthand: string;
  varname: string;
  usage: string;
  defaultText: string;
}

/** The pflag type a flag declares (commander's value placeholder: `<duration>`); "" for booleans. */
export function flagType(opt: Option): string {
  return /[<[]([^>\]]+)[>\]]/.exec(opt.flags)?.[1] ?? "";
}

/** pflag's " (default …)" text: none for zero values; strings quoted, slices bracketed. */
export function defaultText(opt: Option): string {
  const value: unknown = opt.defaultValue;
  if (value === undefined || value === null || value === false || value === "" || value === 0) return "";
  if (Array.isArray(value)) return value.length === 0 ? "" : ` (default [${value.join(",")}])`;
  if (flagType(opt) === "string" && typeof value === "string") return ` (default ${JSON.stringify(value)})`;
  if (flagType(opt) === "duration" && (value === "0s" || value === "0")) return "";
  const scalar = typeof value === "number" || typeof value === "boolean" || typeof value === "string";
  return ` (default ${scalar ? String(value) : JSON.stringify(value)})`;
}

/** The usage of a flag: upstream's text from the command that declares it (or an ancestor), else tsflux's. */
function usageOf(opt: Option, declaredOn: Command, texts: HelpTexts): string {
  const name = (opt.long ?? "").slice(2);
  for (let c: Command | null = declaredOn; c; c = c.parent) {
    const usage = texts[pathOf(c)]?.flags[name];
    if (usage !== undefined) return usage;
  }
  return opt.description;
}

function flagLine(opt: Option, declaredOn: Command, texts: HelpTexts): FlagLine {
  let usage = usageOf(opt, declaredOn, texts);
  let varname = flagType(opt);
  // pflag's UnquoteUsage: a `quoted` word in the usage names the value.
  const quoted = /`([^`]*)`/.exec(usage)?.[1];
  if (quoted !== undefined) {
    varname = quoted;
    usage = usage.replace(`\`${quoted}\``, quoted);
  }
  return {
    name: (opt.long ?? "").slice(2),
    shorthand: opt.short ? opt.short.slice(1) : "",
    varname,
    usage,
    defaultText: defaultText(opt),
  };
}

function helpLine(cmd: Command): FlagLine {
  return { name: "help", shorthand: "h", varname: "", usage: `help for ${cmd.name()}`, defaultText: "" };
}

/** pflag's FlagUsages: sorted by name, the usage column aligned three spaces past the longest flag. */
export function flagUsages(lines: FlagLine[]): string {
  const sorted = [...lines].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const heads = sorted.map(
    (f) => (f.shorthand ? `  -${f.shorthand}, --${f.name}` : `      --${f.name}`) + (f.varname ? ` ${f.varname}` : ""),
  );
  const width = Math.max(0, ...heads.map((h) => h.length + 1));
  return sorted
    .map((f, i) => {
      const head = heads[i] ?? "";
      const usage = (f.usage + f.defaultText).replace(/\n/g, `\n${" ".repeat(width + 2)}`);
      return `${head} ${" ".repeat(width - head.length)} ${usage}\n`;
    })
    .join("");
}

function visible(opts: readonly Option[]): Option[] {
  return opts.filter((o) => o.long && !o.hidden && o.long !== "--help");
}

/**
 * The flags a command declares itself (cobra's LocalFlags), with -h. cobra adds -h and the
 * root's --version only when a command runs: the generated docs have -h and no --version,
 * the usage printed for an unknown help topic has neither.
 */
export function localFlags(cmd: Command, texts: HelpTexts, extra: { help: boolean; version: boolean }): FlagLine[] {
  const own = visible(cmd.options).filter((o) => !(cmd.parent === null && !extra.version && o.long === "--version"));
  return [...own.map((o) => flagLine(o, cmd, texts)), ...(extra.help ? [helpLine(cmd)] : [])];
}

/** Its ancestors' flags it does not shadow (cobra's InheritedFlags); the root's --version is the root's own. */
export function inheritedFlags(cmd: Command, texts: HelpTexts): FlagLine[] {
  const seen = new Set(visible(cmd.options).map((o) => o.long));
  const out: FlagLine[] = [];
  for (let c = cmd.parent; c; c = c.parent) {
    for (const o of visible(c.options)) {
      if (seen.has(o.long) || (c.parent === null && o.long === "--version")) continue;
      seen.add(o.long);
      out.push(flagLine(o, c, texts));
    }
  }
  return out;
}

function subcommands(cmd: Command): Command[] {
  return cmd.commands.filter((c) => !isHidden(c));
}

/** cobra's UseLine: the parent's path, the command's Use, and " [flags]". */
export function useLine(cmd: Command, texts: HelpTexts): string {
  const use = textOf(cmd, texts).use;
  const line = cmd.parent ? `${commandPath(cmd.parent)} ${use}` : use;
  return line.includes("[flags]") ? line : `${line} [flags]`;
}

/** Names in "Available Commands" are padded to the longest sibling's (cobra: at least 11). */
function namePadding(cmd: Command): number {
  return Math.max(11, ...cmd.commands.map((c) => c.name().length));
}

const trimEnd = (s: string) => s.replace(/\s+$/, "");

/** cobra's usage template. */
export function usageString(cmd: Command, texts: HelpTexts, withHelpFlag = true): string {
  const text = textOf(cmd, texts);
  const subs = subcommands(cmd);
  let out = "Usage:";
  if (isRunnable(cmd)) out += `\n  ${useLine(cmd, texts)}`;
  if (subs.length > 0) out += `\n  ${commandPath(cmd)} [command]`;
  // Upstream's aliases as it lists them (tsflux may accept more: `artifact` for `artifacts`).
  const aliases = text.aliases ?? (texts[pathOf(cmd)] ? [] : cmd.aliases());
  if (aliases.length > 0) out += `\n\nAliases:\n  ${[cmd.name(), ...aliases].join(", ")}`;
  if (text.example) out += `\n\nExamples:\n${text.example}`;
  if (subs.length > 0) {
    const pad = namePadding(cmd);
    const sorted = [...subs].sort((a, b) => (a.name() < b.name() ? -1 : 1));
    const list = (cmds: Command[]) =>
      cmds.map((sub) => `\n  ${sub.name().padEnd(pad)} ${textOf(sub, texts).short}`).join("");
    // cobra: without groups one "Available Commands" list; with them each group's, then "Additional Commands"
    const titles = [...new Set(sorted.map((c) => groups.get(c)).filter((t) => t !== undefined))];
    if (titles.length === 0) out += `\n\nAvailable Commands:${list(sorted)}`;
    else {
      for (const title of titles) out += `\n\n${title}${list(sorted.filter((c) => groups.get(c) === title))}`;
      const rest = sorted.filter((c) => !groups.has(c));
      if (rest.length > 0) out += `\n\nAdditional Commands:${list(rest)}`;
    }
  }
  const local = localFlags(cmd, texts, { help: withHelpFlag, version: withHelpFlag });
  if (local.length > 0) out += `\n\nFlags:\n${trimEnd(flagUsages(local))}`;
  const inherited = inheritedFlags(cmd, texts);
  if (inherited.length > 0) out += `\n\nGlobal Flags:\n${trimEnd(flagUsages(inherited))}`;
  if (subs.length > 0) out += `\n\nUse "${commandPath(cmd)} [command] --help" for more information about a command.`;
  return `${out}\n`;
}

/** cobra's help template: Long (or Short), then the usage. */
export function helpString(cmd: Command, texts: HelpTexts): string {
  const text = textOf(cmd, texts);
  const head = trimEnd(text.long || text.short);
  return (head ? `${head}\n\n` : "") + usageString(cmd, texts);
}

/** What `flux help <words>` shows (cobra's help command): the command, or the root's usage for an unknown topic. */
export function helpTopic(program: Command, words: string[]): HelpRequest {
  let cmd = program;
  for (const word of words) {
    const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) cmd = sub;
    else if (cmd.commands.length > 0) return new HelpRequest(program, words);
    else break;
  }
  return new HelpRequest(cmd);
}

/** The text printed for a help request. */
export function renderHelpRequest(req: HelpRequest, texts: HelpTexts): string {
  if (req.unknownTopic) {
    // cobra prints the root's usage only (no -h or --version: those flags exist once a command runs).
    return `Unknown help topic [${req.unknownTopic.map((w) => `\`${w}\``).join(" ")}]\n${usageString(req.command, texts, false)}`;
  }
  return helpString(req.command, texts);
}

/**
 * Makes every command's help go through the program's entry (which loads the texts and
 * prints cobra's layout) and adds cobra's `help [command]`.
 */
export function installCobraHelp(program: Command): void {
  program.helpCommand(false);
  const help = program
    .command("help")
    .argument("[command...]")
    .summary("Help about any command")
    .action((words: string[]) => {
      throw helpTopic(program, words);
    });
  helpText(help, {
    use: "help [command]",
    long: "Help provides help for any command in the application.\nSimply type flux help [path to command] for full details.",
  });
  const visit = (cmd: Command) => {
    // Replaces the method as a whole (commander's typings list a deprecated overload of it).
    Object.assign(cmd, {
      outputHelp: () => {
        throw new HelpRequest(cmd);
      },
    });
    for (const sub of cmd.commands) visit(sub);
  };
  visit(program);
}
