// flux plugin list
import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { pluginOptions } from "./options.js";

export function register(group: Command): void {
  const cmd = group
    .command("list")
    .alias("ls")
    .description("List installed plugins")
    // cobra's argument counts are checked by the engine, in cobra's words
    .allowExcessArguments(true);
  bind(cmd, {
    options: pluginOptions,
    engine: async () => (await import("../../src/plugin/run.js")).runPluginList,
    preRun: false,
  });
}
