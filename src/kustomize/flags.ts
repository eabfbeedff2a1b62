// Flags that `flux build kustomization` and `flux diff kustomization` share: both build
// the local overlay the same way (diff builds, then compares). Declaring flags loads
// only commander; the engines load when the command runs.
import type { Command } from "commander";
import { arrayFlag, boolFlag } from "../cli/flags.js";

/** --strict-substitute, -r/--recursive and --local-sources; `verb` is "build" or "diff". */
export function localBuildFlags(cmd: Command, verb: "build" | "diff"): void {
  boolFlag(
    cmd,
    "--strict-substitute",
    "When enabled, the post build substitutions will fail if a var without a default value is declared in files but is missing from the input vars.",
  );
  boolFlag(cmd, "-r, --recursive", `Recursively ${verb} Kustomizations`);
  arrayFlag(
    cmd,
    "--local-sources <stringToString>",
    "Comma-separated list of repositories in format: Kind/namespace/name=path",
  );
}
