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
    .addHelpText(
      "after",
      `
The build command queries the Kubernetes API and fetches the specified Flux Kustomization.
It then uses the fetched in cluster flux kustomization to perform needed transformation on the local kustomization.yaml
pointed at by --path. The local kustomization.yaml is generated if it does not exist. Finally it builds the overlays using the local kustomization.yaml, and write the resulting multi-doc YAML to stdout.

It is possible to specify a Flux kustomization file using --kustomization-file.

Examples:
  # Build the local manifests as they were built on the cluster
  flux build kustomization my-app --path ./path/to/local/manifests

  # Build using a local flux kustomization file
  flux build kustomization my-app --path ./path/to/local/manifests --kustomization-file ./path/to/local/my-app.yaml

  # Build in dry-run mode without connecting to the cluster.
  # Note that variable substitutions from Secrets and ConfigMaps are skipped in dry-run mode.
  flux build kustomization my-app --path ./path/to/local/manifests \\
	--kustomization-file ./path/to/local/my-app.yaml \\
	--dry-run

  # Exclude files by providing a comma separated list of entries that follow the .gitignore pattern fromat.
  flux build kustomization my-app --path ./path/to/local/manifests \\
	--kustomization-file ./path/to/local/my-app.yaml \\
	--ignore-paths "/to_ignore/**/*.yaml,ignore.yaml"

  # Run recursively on all encountered Kustomizations
  flux build kustomization my-app --path ./path/to/local/manifests \\
	--recursive \\
	--local-sources GitRepository/flux-system/my-repo=./path/to/local/git`,
    )
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
