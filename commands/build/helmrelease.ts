// `flux build helmrelease NAME --path DIR` (beyond upstream): renders a HelmRelease
// from the manifests in files with the real helm, offline.
import type { Command } from "commander";
import { bind, type Invocation } from "../../src/cli/action.js";
import { helpText } from "../../src/cli/help.js";
import { outputFlag, stringToStringFlag } from "../../src/cli/flags.js";
import type { BuildHelmReleaseCommandOptions, HelmReleaseFileOptions } from "../../src/helm/build-cmd.js";

/** The flags build and diff helmrelease share. */
export function helmReleaseFileOptions(inv: Invocation): HelmReleaseFileOptions {
  return { name: inv.args[0], path: inv.opt("path"), localSources: inv.listOpt("localSources") };
}

export function options(inv: Invocation): BuildHelmReleaseCommandOptions {
  return { ...helmReleaseFileOptions(inv), output: inv.opt("output") };
}

export function register(program: Command): void {
  const cmd = program
    .command("helmrelease")
    .alias("hr")
    .argument("[name]")
    .description("Build HelmRelease")
    .summary("Build HelmRelease")
    .option("--path <string>", "Path to the files holding the HelmRelease, its source and its values.");
  stringToStringFlag(
    cmd,
    "--local-sources <stringToString>",
    "Comma-separated list of repositories in format: Kind/namespace/name=path",
  );
  outputFlag(cmd, "the format of the output", ["yaml", "json"], "yaml");
  helpText(cmd, {
    long: `The build command renders a HelmRelease found in the files under --path, offline, as
helm-controller would install it: the chart from its HelmRepository (HTTP or OCI),
OCIRepository, or a GitRepository/Bucket folder in the same tree; values and valuesFrom
(ConfigMaps and Secrets found in the files); post-renderers; the release name and
namespace helm-controller uses. It runs the real helm (v4) and prints the objects.`,
    example: `  # Render a HelmRelease defined in the files of a fleet repository
  flux build helmrelease podinfo -n apps --path ./apps/podinfo

  # The same objects as a JSON List
  flux build helmrelease podinfo -n apps --path ./apps/podinfo -o json

  # A chart kept in another local checkout referred to by a GitRepository
  flux build helmrelease podinfo --path ./apps \\
	--local-sources GitRepository/flux-system/charts=../charts`,
  });
  bind(cmd, {
    options,
    engine: async () => (await import("../../src/helm/build-cmd.js")).runBuildHelmRelease,
  });
}
