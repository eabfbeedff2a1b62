// Binds registry kinds to commander sub-commands. The generic verbs register one
// sub-command per kind from the registry; flags declared on a parent command (like
// upstream's persistent flags) reach the mapper through the Invocation.
import type { Command } from "commander";
import { bind, type Invocation } from "../../src/cli/action.js";
import type { Engine } from "../../src/deps.js";
import { kindsWithVerb, type KindInfo, type KindVerb } from "../../src/kinds/registry.js";

/** Finds or creates the group command `name` under parent. */
export function subgroup(parent: Command, name: string, description: string, aliases: string[] = []): Command {
  const existing = parent.commands.find((c) => c.name() === name);
  if (existing) return existing;
  const cmd = parent.command(name).description(description);
  for (const a of aliases) cmd.alias(a);
  return cmd;
}

export interface VerbBinding<O> {
  /** Which kinds get the verb. */
  filter?: (k: KindInfo) => boolean;
  /** Short help for the kind's command. */
  describe: (k: KindInfo) => string;
  /** Positional arguments, e.g. "[name]" or "[name...]". */
  args: string;
  /** Descriptions of the intermediate groups ("source", "image"). */
  groups: Record<string, string>;
  /** Per-kind extra flags. */
  flags?: (cmd: Command, k: KindInfo) => void;
  /** Flags to options for the kind's command. */
  options: (inv: Invocation, k: KindInfo) => O;
  engine: () => Promise<Engine<O>>;
}

/** Registers `<verb> <cli words of each kind> <args>` under group (the verb's command). */
export function bindVerb<O>(group: Command, b: VerbBinding<O>): void {
  for (const k of kindsWithVerb(group.name() as KindVerb)) {
    if (b.filter && !b.filter(k)) continue;
    let parent = group;
    for (const word of k.cli.slice(0, -1)) parent = subgroup(parent, word, b.groups[word] ?? word);
    const leaf = parent.command(`${k.cli[k.cli.length - 1]} ${b.args}`).description(b.describe(k));
    for (const a of k.cliAliases) leaf.alias(a);
    b.flags?.(leaf, k);
    bind(leaf, { options: (inv) => b.options(inv, k), engine: b.engine });
  }
}
