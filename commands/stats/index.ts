// flux stats [-A]: reconcilers per kind (running, failing, suspended, storage).
import { Option, type Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { boolFlag } from "../../src/cli/flags.js";

export function register(program: Command): void {
  const cmd = program.command("stats").description("Stats of Flux reconciles");
  boolFlag(cmd, "-A, --all-namespaces", "list the statistics for objects across all namespaces");
  cmd.addOption(
    new Option("-o, --output <format>", "print the statistics in this format instead of a table").choices([
      "table",
      "json",
      "yaml",
    ]),
  );
  bind(cmd, {
    options: (inv) => ({ allNamespaces: inv.bool("allNamespaces"), output: inv.opt("output") }),
    engine: async () => (await import("../../src/ops/stats.js")).runStats,
  });
}
