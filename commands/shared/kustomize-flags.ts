// Flags that `flux build kustomization` and `flux diff kustomization` share: both build
// the local overlay the same way (diff builds, then compares). Declaring flags loads
// only commander; the engines load when the command runs.
import type { Command } from "commander";
import type { Invocation } from "../../src/cli/action.js";
import { boolFlag, stringToStringFlag } from "../../src/cli/flags.js";
import type { BuildKustomizationOptions } from "../../src/kustomize/build-cmd.js";

/** The flags build and diff share, as the engine's options. */
export function buildFlags(inv: Invocation): BuildKustomizationOptions {
  return {
    name: inv.args[0],
    path: inv.opt("path"),
    kustomizationFile: inv.opt("kustomizationFile"),
    ignorePaths: inv.listOpt("ignorePaths"),
    dryRun: inv.bool("dryRun"),
    strictSubstitute: inv.bool("strictSubstitute"),
    recursive: inv.bool("recursive"),
    localSources: inv.listOpt("localSources"),
  };
}

/** --strict-substitute, -r/--recursive and --local-sources; `verb` is "build" or "diff". */
export function localBuildFlags(cmd: Command, verb: "build" | "diff"): void {
  boolFlag(
    cmd,
    "--strict-substitute",
    "When enabled, the post build substitutions will fail if a var without a default value is declared in files but is missing from the input vars.",
  );
  boolFlag(cmd, "-r, --recursive", `Recursively ${verb} Kustomizations`);
  stringToStringFlag(
    cmd,
    "--local-sources <stringToString>",
    "Comma-separated list of repositories in format: Kind/namespace/name=path",
    [],
  );
}
