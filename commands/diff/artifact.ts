import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { credsFlags, ignorePathsFlag, insecureFlag, registryOptions } from "../shared/oci-flags.js";

export function register(program: Command): void {
  const cmd = program
    .command("artifact")
    .description(
      "The diff artifact command computes the diff between the remote OCI artifact and a local directory or file",
    )
    .summary("Diff Artifact")
    .argument("[url]");
  cmd.option("--path <string>", "path to the directory where the Kubernetes manifests are located");
  credsFlags(cmd);
  ignorePathsFlag(cmd);
  insecureFlag(cmd, "allows the remote artifact to be pulled without TLS");
  bind(cmd, {
    options: (inv) => ({
      ...registryOptions(inv),
      url: inv.args[0],
      path: inv.str("path"),
      ignorePaths: inv.listOpt("ignorePaths"),
    }),
    engine: async () => (await import("../../src/oci/run.js")).runDiffArtifact,
  });
}
