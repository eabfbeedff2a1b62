import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { boolFlag } from "../../src/cli/flags.js";

export function register(program: Command): void {
  const cmd = program
    .command("uninstall")
    .summary("Uninstall Flux and its custom resource definitions")
    .description(
      "The uninstall command removes the Flux components and the toolkit.fluxcd.io resources from the cluster.",
    );
  boolFlag(cmd, "--keep-namespace", "skip namespace deletion");
  boolFlag(cmd, "--dry-run", "only print the objects that would be deleted");
  boolFlag(cmd, "-s, --silent", "delete components without asking for confirmation");
  bind(cmd, {
    options: (inv) => ({
      keepNamespace: inv.bool("keepNamespace"),
      dryRun: inv.bool("dryRun"),
      silent: inv.bool("silent"),
    }),
    engine: async () => (await import("../../src/install/uninstall.js")).runUninstall,
  });
}
