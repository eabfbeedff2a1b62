import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { boolFlag, sliceFlag } from "../../src/cli/flags.js";
import { buildFlags, localBuildFlags } from "../shared/kustomize-flags.js";

export function register(program: Command): void {
  const cmd = program
    .command("kustomization")
    .alias("ks")
    .argument("[name]")
    .description("Build Kustomization")
    .summary("Build Kustomization")
    .option("--path <string>", "Path to the manifests location.")
    .option("--kustomization-file <string>", "Path to the Flux Kustomization YAML file.");
  sliceFlag(cmd, "--ignore-paths <strings>", "set paths to ignore in .gitignore format");
  boolFlag(cmd, "--dry-run", "Dry run mode.");
  localBuildFlags(cmd, "build");
  boolFlag(cmd, "--in-memory-build", "Use in-memory filesystem during build.");
  bind(cmd, {
    options: (inv) => ({
      ...buildFlags(inv),
    }),
    engine: async () => (await import("../../src/kustomize/build-cmd.js")).runBuildKustomization,
  });
}
