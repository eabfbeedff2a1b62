// flux suspend <kind> [names...] / --all
import type { Command } from "commander";
import { boolFlag } from "../../src/cli/flags.js";
import { bindVerb } from "../shared/kinds.js";

export function register(program: Command): void {
  const group = program.command("suspend").description("Suspend resources");
  boolFlag(group, "--all", "suspend all resources in that namespace");
  bindVerb(group, {
    filter: (k) => k.suspendable,
    describe: (k) => `Suspend reconciliation of ${k.kind}`,
    args: "[name...]",
    groups: { source: "Suspend sources", image: "Suspend image automation objects" },
    options: (inv, kind) => ({ kind, names: inv.args, all: inv.bool("all") }),
    engine: async () => (await import("../../src/ops/run.js")).runSuspend,
  });
}
