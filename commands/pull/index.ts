import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { credsFlags, insecureFlag, registryOptions } from "../shared/oci-flags.js";

export function register(program: Command): void {
  const group = program
    .command("pull")
    .description("The pull command is used to download OCI artifacts.")
    .summary("Pull artifacts");
  const cmd = group
    .command("artifact")
    .description(
      "The pull artifact command downloads and extracts the OCI artifact content to the given path.\n" +
        "The command can read the credentials from '~/.docker/config.json' but they can also be passed with --creds. It can also login to a supported provider with the --provider flag.",
    )
    .summary("Pull artifact")
    .argument("[url]");
  cmd.option("-o, --output <string>", "path where the artifact content should be extracted.");
  credsFlags(cmd);
  insecureFlag(cmd, "allows artifacts to be pulled without TLS");
  bind(cmd, {
    options: (inv) => ({ ...registryOptions(inv), url: inv.args[0], output: inv.str("output") }),
    engine: async () => (await import("../../src/oci/run.js")).runPullArtifact,
  });
}
