import type { Command } from "commander";
import { lazyAction } from "../src/cli/action.js";

export function register(program: Command): void {
  const group = program.command("completion").description("Generates completion scripts for various shells");
  for (const shell of ["bash", "fish", "powershell", "zsh"]) {
    lazyAction(group.command(shell).description(`Generates ${shell} completion scripts`), async () =>
      (await import("../src/cli/completion.js")).runCompletion(shell),
    );
  }
  // Hidden: called by the generated scripts to list candidates for a partial command line.
  lazyAction(
    program.command("__complete", { hidden: true }).allowUnknownOption().argument("[words...]"),
    async () => (await import("../src/cli/completion.js")).runComplete,
  );
}
