// flux tree kustomization <name>
import type { Command } from "commander";
import { boolFlag } from "../../src/cli/flags.js";
import { bind } from "../../src/cli/action.js";

export function register(program: Command): void {
  const group = program.command("tree").description("Print the resources reconciled by Flux");
  const ks = group
    .command("kustomization [name]")
    .alias("ks")
    .description("Print the resource inventory of a Kustomization");
  boolFlag(ks, "--compact", "list Flux resources only.");
  ks.option("-o, --output <string>", "the format in which the tree should be printed. can be 'json' or 'yaml'");
  bind(ks, {
    options: (inv) => ({ name: inv.args[0], compact: inv.bool("compact"), output: inv.opt("output") }),
    engine: async () => (await import("../../src/ops/tree.js")).runTreeKustomization,
  });

  const artifact = group.command("artifact").description("Print artifact objects reconciled by Flux");
  const generator = artifact.command("generator [name...]").description("Print the inventory of an ArtifactGenerator");
  generator.option("-o, --output <string>", "the format in which the tree should be printed. can be 'json' or 'yaml'");
  bind(generator, {
    options: (inv) => ({ args: inv.args, output: inv.opt("output") }),
    engine: async () => (await import("../../src/ops/tree.js")).runTreeArtifactGenerator,
  });
}
