// Binds registry kinds to commander sub-commands. The generic verbs register one
// sub-command per kind from the registry; flags declared on a parent command (like
// upstream's persistent flags) reach the engine through optsWithGlobals().
import type { Command } from "commander";
import type { Run } from "../cli/action.js";
import { lazyAction } from "../cli/action.js";
import { kindsWithVerb, type KindInfo, type KindVerb } from "../kinds/registry.js";

/** Finds or creates the group command `name` under parent. */
export function subgroup(parent: Command, name: string, description: string, aliases: string[] = []): Command {
  const existing = parent.commands.find((c) => c.name() === name);
  if (existing) return existing;
  const cmd = parent.command(name).description(description);
  for (const a of aliases) cmd.alias(a);
  return cmd;
}

/** lazyAction whose engine sees the options of the command and all its parents. */
export function lazyActionWithParents(cmd: Command, load: () => Promise<Run>): Command {
  return lazyAction(cmd, async () => {
    const run = await load();
    return (args, _opts, ctx) => run(args, cmd.optsWithGlobals(), ctx);
  });
}

export interface VerbBinding {
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
  load: (k: KindInfo) => Promise<Run>;
}

/** Registers `<verb> <cli words of each kind> <args>` under group (the verb's command). */
export function bindVerb(group: Command, b: VerbBinding): void {
  for (const k of kindsWithVerb(group.name() as KindVerb)) {
    if (b.filter && !b.filter(k)) continue;
    let parent = group;
    for (const word of k.cli.slice(0, -1)) parent = subgroup(parent, word, b.groups[word] ?? word);
    const leaf = parent.command(`${k.cli[k.cli.length - 1]} ${b.args}`).description(b.describe(k));
    for (const a of k.cliAliases) leaf.alias(a);
    b.flags?.(leaf, k);
    lazyActionWithParents(leaf, () => b.load(k));
  }
}
