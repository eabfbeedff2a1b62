// flux resume <kind> [names...] / --all; waits for readiness with one name or --wait.
import { Option, type Command } from "commander";
import { booleanFlags, boolFlag } from "../../src/cli/flags.js";
import { bindVerb } from "../shared/kinds.js";

export function register(program: Command): void {
  const group = program.command("resume").description("Resume suspended resources");
  boolFlag(group, "--all", "resume all resources in that namespace");
  // No default: unset means "wait when exactly one object was named" (upstream's rule).
  booleanFlags.add("wait");
  group.addOption(new Option("--wait", "waits for one resource to reconcile before moving to the next one"));
  group.addOption(new Option("--no-wait").hideHelp());
  bindVerb(group, {
    filter: (k) => k.suspendable,
    describe: (k) => `Resume a suspended ${k.kind}`,
    args: "[name...]",
    groups: { source: "Resume sources", image: "Resume image automation objects" },
    options: (inv, kind) => {
      const wait = inv.value("wait");
      return { kind, names: inv.args, all: inv.bool("all"), wait: wait === undefined ? undefined : Boolean(wait) };
    },
    engine: async () => (await import("../../src/ops/run.js")).runResume,
  });
}
