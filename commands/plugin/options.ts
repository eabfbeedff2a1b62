// The options every plugin verb maps its command line to.
import type { CommandInvocation } from "../../src/cli/action.js";
import { builtinNames, treeOf } from "../../src/cli/program.js";

/** What every plugin verb's options hold: its arguments and the names a plugin may not take. */
export function pluginOptions(inv: CommandInvocation): { args: string[]; builtins: string[] } {
  return { args: inv.args, builtins: builtinNames(treeOf(inv.command)) };
}
