// Flags shared by the artifact commands, with pflag's semantics: --ignore-paths is a
// StringSlice whose default is replaced (not extended) by the first value given.
// Cheap to import: the command tree loads it at start-up.
import { Option, type Command } from "commander";
import type { Invocation } from "../../src/cli/action.js";
import { boolFlag, checkedFlag, collectSlice } from "../../src/cli/flags.js";
import { sourceOCIProvider } from "../../src/util/flag-values.js";
import type { RegistryOptions } from "../../src/oci/run.js";
import { DEFAULT_IGNORE_PATHS, OCI_PROVIDERS } from "../../src/oci/constants.js";

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
  checkedFlag(cmd, `--provider <${OCI_PROVIDERS.join("|")}>`, "the OCI provider name", sourceOCIProvider, "generic");
  return cmd;
}

export function insecureFlag(cmd: Command, description: string): Command {
  return boolFlag(cmd, "--insecure-registry", description);
}

/** --provider, --creds and --insecure-registry as the engine's options. */
export function registryOptions(inv: Invocation): RegistryOptions {
  return {
    provider: inv.str("provider") || "generic",
    creds: inv.str("creds"),
    insecureRegistry: inv.bool("insecureRegistry"),
  };
}
