// flux suspend <kind> [names...] / --all
import type { Command } from "commander";
import { boolFlag } from "../src/cli/flags.js";
import { bindVerb } from "../src/ops/bind.js";

export function register(program: Command): void {
  const group = program.command("suspend").description("Suspend resources");
  boolFlag(group, "--all", "suspend all resources in that namespace");
  bindVerb(group, {
    filter: (k) => k.suspendable,
    describe: (k) => `Suspend reconciliation of ${k.kind}`,
    args: "[name...]",
    groups: { source: "Suspend sources", image: "Suspend image automation objects" },
    load: async (k) => (await import("../src/ops/run.js")).makeRunSuspend(k),
  });
}
