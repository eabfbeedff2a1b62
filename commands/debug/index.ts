// flux debug helmrelease|kustomization <name> --show-status|--show-values|--show-vars|--show-history
import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { boolFlag } from "../../src/cli/flags.js";

export function register(program: Command): void {
  const group = program.command("debug").description("Debug a flux resource");

  const hr = group
    .command("helmrelease [name]")
    .alias("hr")
    .description("Debug a HelmRelease resource")
    // cobra.ExactArgs(1): the engine reports a wrong count with cobra's wording
    .allowExcessArguments(true);
  boolFlag(hr, "--show-status", "print the status of the Helm release");
  boolFlag(hr, "--show-values", "print the final values of the Helm release");
  boolFlag(hr, "--show-history", "print the reconciliation history of the Helm release");
  bind(hr, {
    options: (inv) => ({
      args: inv.args,
      showStatus: inv.bool("showStatus"),
      showInputs: inv.bool("showValues"),
      showHistory: inv.bool("showHistory"),
    }),
    engine: async () => (await import("../../src/ops/debug.js")).runDebugHelmRelease,
  });

  const ks = group
    .command("kustomization [name]")
    .alias("ks")
    .description("Debug a Flux Kustomization resource")
    .allowExcessArguments(true);
  boolFlag(ks, "--show-status", "print the status of the Flux Kustomization");
  boolFlag(ks, "--show-vars", "print the final vars of the Flux Kustomization in dot env format");
  boolFlag(ks, "--show-history", "print the reconciliation history of the Flux Kustomization");
  bind(ks, {
    options: (inv) => ({
      args: inv.args,
      showStatus: inv.bool("showStatus"),
      showInputs: inv.bool("showVars"),
      showHistory: inv.bool("showHistory"),
    }),
    engine: async () => (await import("../../src/ops/debug.js")).runDebugKustomization,
  });
}
