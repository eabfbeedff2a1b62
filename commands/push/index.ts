import { Option, type Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { arrayFlag, boolFlag } from "../../src/cli/flags.js";
import { credsFlags, ignorePathsFlag, insecureFlag, registryOptions } from "../shared/oci-flags.js";

export function register(program: Command): void {
  const group = program
    .command("push")
    .description("The push command is used to publish OCI artifacts.")
    .summary("Push artifacts");
  const cmd = group
    .command("artifact")
    .description(
      "The push artifact command creates a tarball from the given directory or the single file and uploads the artifact to an OCI repository.\n" +
        "The command can read the credentials from '~/.docker/config.json' but they can also be passed with --creds. It can also login to a supported provider with the --provider flag.",
    )
    .summary("Push artifact")
    .argument("[url]");
  cmd.option("-f, --path <string>", "path to the directory where the Kubernetes manifests are located");
  cmd.option("--source <string>", "the source address, e.g. the Git URL");
  cmd.option("--revision <string>", "the source revision in the format '<branch|tag>@sha1:<commit-sha>'");
  credsFlags(cmd);
  ignorePathsFlag(cmd);
  arrayFlag(cmd, "-a, --annotations <stringArray>", "Set custom OCI annotations in the format '<key>=<value>'");
  cmd.addOption(
    new Option(
      "-o, --output <string>",
      "the format in which the artifact digest should be printed, can be 'json' or 'yaml'",
    ),
  );
  boolFlag(cmd, "--debug", "display logs from underlying library");
  boolFlag(
    cmd,
    "--reproducible",
    "ensure reproducible image digests by setting the created timestamp to '1970-01-01T00:00:00Z'",
  );
  insecureFlag(cmd, "allows artifacts to be pushed without TLS");
  boolFlag(cmd, "--resolve-symlinks", "resolve symlinks by copying their targets into the artifact");
  bind(cmd, {
    options: (inv) => ({
      ...registryOptions(inv),
      url: inv.args[0],
      path: inv.str("path"),
      source: inv.str("source"),
      revision: inv.str("revision"),
      annotations: inv.list("annotations"),
      output: inv.str("output"),
      debug: inv.bool("debug"),
      reproducible: inv.bool("reproducible"),
      ignorePaths: inv.listOpt("ignorePaths"),
      resolveSymlinks: inv.bool("resolveSymlinks"),
    }),
    engine: async () => (await import("../../src/oci/run.js")).runPushArtifact,
  });
}
