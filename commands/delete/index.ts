// flux delete <kind> <name>: asks for confirmation unless --silent.
import type { Command } from "commander";
import { boolFlag } from "../../src/cli/flags.js";
import { bindVerb } from "../shared/kinds.js";

export function register(program: Command): void {
  const group = program.command("delete").description("Delete sources and resources");
  boolFlag(group, "-s, --silent", "delete resource without asking for confirmation");
  bindVerb(group, {
    describe: (k) => `Delete a ${k.kind} ${k.section === "source" ? "source" : "resource"}`,
    args: "[name]",
    groups: { source: "Delete sources", image: "Delete image automation objects" },
    options: (inv, kind) => ({ kind, name: inv.args[0], silent: inv.bool("silent") }),
    engine: async () => (await import("../../src/ops/run.js")).runDelete,
  });
}
