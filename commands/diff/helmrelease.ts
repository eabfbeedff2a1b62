// `flux diff helmrelease NAME --path DIR` (beyond upstream): renders the HelmRelease
// from files with the real helm and diffs it against the cluster by server-side
// dry-run. Exit 0 no change, 1 changes, 2 error (as diff kustomization).
import type { Command } from "commander";
import { bind, type Invocation } from "../../src/cli/action.js";
import { helpText } from "../../src/cli/help.js";
import { boolFlag, outputFlag, stringToStringFlag } from "../../src/cli/flags.js";
import type { DiffHelmReleaseOptions } from "../../src/diff/helmrelease-cmd.js";
import { helmReleaseFileOptions } from "../build/helmrelease.js";

export function options(inv: Invocation): DiffHelmReleaseOptions {
  return { ...helmReleaseFileOptions(inv), output: inv.opt("output"), progressBar: inv.value("progressBar") !== false };
}

export function register(program: Command): void {
  const cmd = program
    .command("helmrelease")
    .alias("hr")
    .argument("[name]")
    .description("Diff HelmRelease")
    .summary("Diff HelmRelease")
    .option("--path <string>", "Path to the files holding the HelmRelease, its source and its values.");
  boolFlag(cmd, "--progress-bar", "Boolean to set the progress bar. The default value is true.", true);
  stringToStringFlag(
    cmd,
    "--local-sources <stringToString>",
    "Comma-separated list of repositories in format: Kind/namespace/name=path",
  );
  outputFlag(cmd, "the format of the diff", ["human", "json", "markdown"], "human");
  helpText(cmd, {
    long: `The diff command renders the HelmRelease found in the files under --path with the real
helm (as 'flux build helmrelease' does), then performs a server-side dry-run of every
object and prints the diff against the cluster. Objects of the deployed release that the
new rendering no longer contains are shown as deleted.
Exit status: 0 No differences were found. 1 Differences were found. >1 diff failed with an error.`,
    example: `  # Preview the effect of a HelmRelease change on the cluster
  flux diff helmrelease podinfo -n apps --path ./apps/podinfo

  # Post the changes as a pull request comment
  flux diff helmrelease podinfo -n apps --path ./apps/podinfo -o markdown > diff.md`,
  });
  bind(cmd, {
    options,
    engine: async () => (await import("../../src/diff/helmrelease-cmd.js")).runDiffHelmRelease,
  });
}
