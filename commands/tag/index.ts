import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { sliceFlag } from "../../src/cli/flags.js";
import { credsFlags, insecureFlag, registryOptions } from "../shared/oci-flags.js";

export function register(program: Command): void {
  const group = program
    .command("tag")
    .description("The tag command is used to add tags to OCI artifacts.")
    .summary("Tag artifacts");
  const cmd = group
    .command("artifact")
    .description(
      "The tag artifact command creates tags for the given OCI artifact.\n" +
        "The command can read the credentials from '~/.docker/config.json' but they can also be passed with --creds. It can also login to a supported provider with the --provider flag.",
    )
    .summary("Tag artifact")
    .argument("[url]");
  sliceFlag(cmd, "--tag <strings>", "tag name");
  credsFlags(cmd);
  insecureFlag(cmd, "allows artifacts to be tagged without TLS");
  bind(cmd, {
    options: (inv) => ({ ...registryOptions(inv), url: inv.args[0], tag: inv.list("tag") }),
    engine: async () => (await import("../../src/oci/run.js")).runTagArtifact,
  });
}
