// flux plugin search [query]
import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { pluginOptions } from "./options.js";

export function register(group: Command): void {
  const cmd = group
    .command("search [query]")
    .description("Search the plugin catalog")
    // cobra's argument counts are checked by the engine, in cobra's words
    .allowExcessArguments(true);
  bind(cmd, {
    options: pluginOptions,
    engine: async () => (await import("../../src/plugin/run.js")).runPluginSearch,
    preRun: false,
  });
}
