// flux reconcile <kind> <name> (or --all): request a reconciliation and wait for it.
import type { Command } from "commander";
import { boolFlag } from "../../src/cli/flags.js";
import { bindVerb } from "../shared/kinds.js";

export function register(program: Command): void {
  const group = program.command("reconcile").description("Reconcile sources and resources");
  boolFlag(group, "--all", "reconcile all resources of the kind in that namespace, concurrently");
  boolFlag(group, "--wait", "wait for the reconciliation to finish (--wait=false only requests it)", true);
  bindVerb(group, {
    describe: (k) => `Reconcile a ${k.kind} ${k.section === "source" ? "source" : "resource"}`,
    args: "[name...]",
    groups: { source: "Reconcile sources", image: "Reconcile image automation objects" },
    flags: (cmd, k) => {
      if (k.reconcileWithSource) boolFlag(cmd, "--with-source", `reconcile ${k.kind} source`);
      if (k.forceReset) {
        boolFlag(cmd, "--force", "force a one-off install or upgrade of the HelmRelease resource");
        boolFlag(cmd, "--reset", "reset the failure count for this HelmRelease resource");
      }
    },
    options: (inv, kind) => ({
      kind,
      names: inv.args,
      all: inv.bool("all"),
      withSource: inv.bool("withSource"),
      force: inv.bool("force"),
      reset: inv.bool("reset"),
      wait: inv.value("wait") !== false,
    }),
    engine: async () => (await import("../../src/ops/run.js")).runReconcile,
  });
}
