import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { credsFlags, insecureFlag, registryOptions } from "../shared/oci-flags.js";

export function register(program: Command): void {
  const group = program
    .command("list")
    .description("The list command is used to list OCI artifacts.")
    .summary("List artifacts");
  const cmd = group
    .command("artifacts")
    .alias("artifact")
    .description(
      "The list command fetches the tags and their metadata from a remote OCI repository.\n" +
        "The command can read the credentials from '~/.docker/config.json' but they can also be passed with --creds. It can also login to a supported provider with the --provider flag.",
    )
    .summary("list artifacts")
    .argument("[url]");
  cmd.option("--filter-semver <string>", "filter tags returned from the oci repository using semver");
  cmd.option("--filter-regex <string>", "filter tags returned from the oci repository using regex");
  credsFlags(cmd);
  insecureFlag(cmd, "allows the remote artifacts list to be fetched without TLS");
  cmd.option("-o, --output <string>", "the format in which the artifacts should be printed, can be 'json' or 'yaml'");
  bind(cmd, {
    options: (inv) => ({
      ...registryOptions(inv),
      url: inv.args[0],
      output: inv.str("output"),
      filterSemver: inv.str("filterSemver"),
      filterRegex: inv.str("filterRegex"),
    }),
    engine: async () => (await import("../../src/oci/run.js")).runListArtifacts,
  });
}
