import { Option, type Command } from "commander";
import { lazyAction } from "../src/cli/action.js";
import { boolFlag } from "../src/cli/flags.js";

export function register(program: Command): void {
  const cmd = program
    .command("version")
    .description("Print the client and server-side components version information.")
    .addOption(
      new Option(
        "-o, --output <string>",
        "the format in which the information should be printed. can be 'json' or 'yaml'",
      )
        .default("yaml")
        .choices(["yaml", "json"]),
    );
  boolFlag(cmd, "--client", "print only client version");
  lazyAction(cmd, async () => (await import("../src/version/run.js")).runVersionCommand);
}
