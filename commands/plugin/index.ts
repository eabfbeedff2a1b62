// flux plugin install|list|search|uninstall|update: plugins from the Flux plugin catalog,
// kept in $FLUXCD_PLUGINS or ~/.fluxcd/plugins. None of these runs the root's checks
// (upstream's plugin command has a no-op PersistentPreRunE): `flux -n X plugin list` works.
import type { Command } from "commander";
import { registerSubcommands, type CommandTree } from "../../src/cli/program.js";
import { register as install } from "./install.js";
import { register as list } from "./list.js";
import { register as search } from "./search.js";
import { register as uninstall } from "./uninstall.js";
import { register as update } from "./update.js";

const verbs: CommandTree = [
  ["install", install],
  ["list", list],
  ["search", search],
  ["uninstall", uninstall],
  ["update", update],
];

export function register(program: Command): void {
  const group = program.command("plugin").description("Manage Flux CLI plugins");
  registerSubcommands(group, verbs);
}
