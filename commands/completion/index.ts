// flux completion bash|fish|powershell|zsh, and the hidden `__complete` the scripts call.
import type { Command } from "commander";
import { bind, type CommandInvocation } from "../../src/cli/action.js";
import { treeOf } from "../../src/cli/program.js";

export function register(program: Command): void {
  const group = program.command("completion").description("Generates completion scripts for various shells");
  for (const shell of ["bash", "fish", "powershell", "zsh"]) {
    bind(group.command(shell).description(`Generates ${shell} completion scripts`), {
      options: () => ({ shell }),
      engine: async () => (await import("../../src/cli/completion.js")).runCompletion,
    });
  }
  // Hidden: called by the generated scripts to list candidates for a partial command line.
  bind(program.command("__complete", { hidden: true }).allowUnknownOption().argument("[words...]"), {
    options: (inv: CommandInvocation) => ({ words: inv.args, tree: treeOf(inv.command) }),
    engine: async () => (await import("../../src/cli/completion.js")).runComplete,
  });
}
