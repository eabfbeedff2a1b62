// The options every plugin verb maps its command line to.
import type { Invocation } from "../../src/cli/action.js";
import { builtinNames, treeOf } from "../../src/cli/program.js";

/** What every plugin verb's options hold: its arguments and the names a plugin may not take. */
export function pluginOptions(inv: Invocation): { args: string[]; builtins: string[] } {
  return { args: inv.args, builtins: builtinNames(treeOf(inv.command)) };
}
