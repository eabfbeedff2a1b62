// Flags shared by the artifact commands, with pflag's semantics: --ignore-paths is a
// StringSlice whose default is replaced (not extended) by the first value given.
// Cheap to import: the command tree loads it at start-up.
import { Option, type Command } from "commander";
import { boolFlag, collectSlice, enumFlag } from "../cli/flags.js";
import { DEFAULT_IGNORE_PATHS, OCI_PROVIDERS } from "./constants.js";

const DEFAULT_IGNORE = [...DEFAULT_IGNORE_PATHS];

export function ignorePathsFlag(cmd: Command): Command {
  return cmd.addOption(
    new Option("--ignore-paths <strings>", "set paths to ignore in .gitignore format")
      .default(DEFAULT_IGNORE, `[${DEFAULT_IGNORE.join(",")}]`)
      .argParser((value: string, previous: string[] | undefined) =>
        collectSlice(value, previous === DEFAULT_IGNORE ? undefined : previous),
      ),
  );
}

export function credsFlags(cmd: Command): Command {
  cmd.option(
    "--creds <string>",
    "credentials for OCI registry in the format <username>[:<password>] if --provider is generic",
  );
  enumFlag(cmd, "--provider <string>", "the OCI provider name", OCI_PROVIDERS, "generic");
  return cmd;
}

export function insecureFlag(cmd: Command, description: string): Command {
  return boolFlag(cmd, "--insecure-registry", description);
}
