import { Option, type Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { boolFlag } from "../../src/cli/flags.js";
import { ignorePathsFlag } from "../shared/oci-flags.js";

export function register(program: Command): void {
  const cmd = program.command("artifact").description("Build artifact").summary("Build artifact");
  cmd.option("-p, --path <string>", "Path to the directory where the Kubernetes manifests are located.");
  cmd.addOption(
    new Option("-o, --output <string>", "Path to where the artifact tgz file should be written.").default(
      "artifact.tgz",
    ),
  );
  ignorePathsFlag(cmd);
  boolFlag(cmd, "--resolve-symlinks", "resolve symlinks by copying their targets into the artifact");
  bind(cmd, {
    options: (inv) => ({
      path: inv.str("path"),
      output: inv.str("output"),
      ignorePaths: inv.listOpt("ignorePaths"),
      resolveSymlinks: inv.bool("resolveSymlinks"),
    }),
    engine: async () => (await import("../../src/oci/run.js")).runBuildArtifact,
  });
}
