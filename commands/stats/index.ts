// flux stats [-A]: reconcilers per kind (running, failing, suspended, storage).
import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { boolFlag, outputFlag } from "../../src/cli/flags.js";

export function register(program: Command): void {
  const cmd = program.command("stats").description("Stats of Flux reconciles");
  boolFlag(cmd, "-A, --all-namespaces", "list the statistics for objects across all namespaces");
  outputFlag(cmd, "print the statistics in this format instead of a table", ["table", "json", "yaml"]);
  bind(cmd, {
    options: (inv) => ({ allNamespaces: inv.bool("allNamespaces"), output: inv.opt("output") }),
    engine: async () => (await import("../../src/ops/stats.js")).runStats,
  });
}
