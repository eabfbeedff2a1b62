import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { boolFlag, outputFlag, sliceFlag } from "../../src/cli/flags.js";
import { buildFlags, localBuildFlags } from "../shared/kustomize-flags.js";

export function register(program: Command): void {
  const cmd = program
    .command("kustomization")
    .alias("ks")
    .argument("[name]")
    .description("Diff Kustomization")
    .summary("Diff Kustomization")
    .option("--path <string>", "Path to a local directory that matches the specified Kustomization.spec.path.")
    .option("--kustomization-file <string>", "Path to the Flux Kustomization YAML file.");
  boolFlag(cmd, "--progress-bar", "Boolean to set the progress bar. The default value is true.", true);
  sliceFlag(cmd, "--ignore-paths <strings>", "set paths to ignore in .gitignore format");
  localBuildFlags(cmd, "diff");
  // tsflux always builds in a temporary mirror of --path (the user's directory is never
  // written), which is what upstream's in-memory filesystem gives; the flag is accepted as is.
  boolFlag(cmd, "--in-memory-build", "Use in-memory filesystem during build.");
  boolFlag(cmd, "--ignore-not-found", "Ignore Kustomization not found errors on the cluster when diffing.");
  outputFlag(cmd, "the format of the diff", ["human", "json", "markdown"], "human");
  bind(cmd, {
    options: (inv) => ({
      ...buildFlags(inv),
      ignoreNotFound: inv.bool("ignoreNotFound"),
      progressBar: inv.value("progressBar") !== false,
      output: inv.opt("output") ?? "human",
    }),
    engine: async () => (await import("../../src/diff/diff-cmd.js")).runDiffKustomization,
  });
}
