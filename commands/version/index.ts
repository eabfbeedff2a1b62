import { Option, type Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { boolFlag } from "../../src/cli/flags.js";

export function register(program: Command): void {
  const cmd = program
    .command("version")
    .description("Print the client and server-side components version information.")
    .addOption(
      new Option(
        "-o, --output <string>",
        "the format in which the information should be printed. can be 'json' or 'yaml'",
      ).default("yaml"),
    );
  boolFlag(cmd, "--client", "print only client version");
  bind(cmd, {
    options: (inv) => ({ client: inv.bool("client"), output: inv.opt("output") ?? "yaml" }),
    engine: async () => (await import("../../src/version/run.js")).runVersion,
  });
}
