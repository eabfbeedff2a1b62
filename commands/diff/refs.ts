// `flux diff refs --base REF [--head REF] --path DIR` (beyond upstream): builds every
// Flux Kustomization and HelmRelease under DIR at two git refs, without a cluster,
// and prints the object-level difference. Exit 0 no change, 1 changes, 2 error.
import type { Command } from "commander";
import { bind, type Invocation } from "../../src/cli/action.js";
import { helpText } from "../../src/cli/help.js";
import { outputFlag, stringToStringFlag } from "../../src/cli/flags.js";
import type { DiffRefsCommandOptions } from "../../src/diff/refs-cmd.js";

export function options(inv: Invocation): DiffRefsCommandOptions {
  return {
    base: inv.opt("base"),
    head: inv.opt("head"),
    path: inv.str("path") || ".",
    localSources: inv.listOpt("localSources"),
    output: inv.opt("output"),
  };
}

export function register(program: Command): void {
  const cmd = program
    .command("refs")
    .description("Diff the Flux objects built at two git refs, without a cluster")
    .summary("Diff two git refs of a fleet repository")
    .option("--base <string>", "The git ref to compare against (branch, tag or commit).")
    .option("--head <string>", "The git ref to compare (default: the working tree).")
    .option("--path <string>", "Path inside the git work tree holding the Flux objects to start from.", ".");
  stringToStringFlag(
    cmd,
    "--local-sources <stringToString>",
    "Comma-separated list of sources outside the repository in format: Kind/namespace/name=path",
  );
  outputFlag(cmd, "the format of the diff", ["human", "json", "markdown"], "human");
  helpText(cmd, {
    long: `The diff refs command builds every Flux Kustomization and HelmRelease found under --path
at two git refs (--head defaults to the working tree), following the Kustomizations the
builds contain and their post-build substitutions from ConfigMaps and Secrets in the files,
and rendering HelmReleases with the real helm. It prints the objects added, removed and
changed in each Kustomization and HelmRelease, with line diffs; Secret values are masked.
Kustomizations and HelmReleases that cannot be built (e.g. a source outside the repository)
are listed with the reason. No cluster is contacted.
Exit status: 0 No differences were found. 1 Differences were found. >1 diff failed with an error
(including a Kustomization or HelmRelease that could not be built).`,
    example: `  # What the working tree changes compared with main
  flux diff refs --base main --path ./clusters/production

  # What a pull request changes, as a comment body
  flux diff refs --base origin/main --head HEAD --path . -o markdown > diff.md`,
  });
  bind(cmd, {
    options,
    engine: async () => (await import("../../src/diff/refs-cmd.js")).runDiffRefs,
  });
}
