// `flux diff refs --base REF [--head REF] --path DIR` (beyond upstream): builds every
// Flux Kustomization and HelmRelease under DIR at two git refs, without a cluster,
// and prints the object-level difference. Exit 0 no change, 1 changes, 2 error.
import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { helpText } from "../../src/cli/help.js";
import type { Deps } from "../../src/deps.js";
import { arrayFlag, outputFlag } from "../../src/cli/flags.js";

interface Flags {
  base?: string;
  head?: string;
  path?: string;
  localSources?: string[];
  output?: string;
}

async function run(_args: string[], opts: Record<string, unknown>, ctx: Deps): Promise<void> {
  const flags = opts as Flags;
  const { CliError, errorMessage } = await import("../../src/errors.js");
  const { colorEnabled } = await import("../../src/output/logger.js");
  const { ansiPalette, plainPalette } = await import("../../src/diff/render.js");
  const { renderRefsHuman, renderRefsJson, renderRefsMarkdown } = await import("../../src/diff/refs-render.js");
  const { CHANGED_MESSAGE } = await import("../../src/diff/diff-cmd.js");
  const { DIFF_FORMATS, parseOutputFormat } = await import("../../src/output/printers.js");
  let output: (typeof DIFF_FORMATS)[number];
  let report;
  try {
    output = parseOutputFormat(flags.output, DIFF_FORMATS, "human");
    if (!flags.base) throw new CliError("--base is required: the git ref to compare against (e.g. origin/main)", 2);
    const { parseLocalSources } = await import("../../src/kustomize/build.js");
    const { diffRefs } = await import("../../src/diff/refs.js");
    report = await diffRefs({
      base: flags.base,
      head: flags.head,
      path: flags.path ?? ".",
      namespace: ctx.globals.namespace,
      localSources: parseLocalSources(flags.localSources),
      timeoutMs: ctx.globals.timeoutMs,
    });
  } catch (err) {
    throw new CliError(err instanceof CliError ? err.message : errorMessage(err), 2);
  }
  const palette = output === "human" && colorEnabled(ctx.io.stdout) ? ansiPalette : plainPalette;
  ctx.io.stdout.write(
    output === "json"
      ? renderRefsJson(report)
      : output === "markdown"
        ? renderRefsMarkdown(report)
        : renderRefsHuman(report, palette),
  );
  if (report.failed) {
    const failed = report.units.filter((u) => u.status === "failed").map((u) => `${u.kind}/${u.namespace}/${u.name}`);
    throw new CliError(
      failed.length === 1
        ? `could not build ${failed[0]}`
        : `could not build ${failed.length} Kustomizations and HelmReleases (listed in the report)`,
      2,
    );
  }
  if (report.changed) {
    ctx.logger.warning(CHANGED_MESSAGE);
    throw new CliError("", 1);
  }
}

export function register(program: Command): void {
  const cmd = program
    .command("refs")
    .description("Diff the Flux objects built at two git refs, without a cluster")
    .summary("Diff two git refs of a fleet repository")
    .option("--base <string>", "The git ref to compare against (branch, tag or commit).")
    .option("--head <string>", "The git ref to compare (default: the working tree).")
    .option("--path <string>", "Path inside the git work tree holding the Flux objects to start from.", ".");
  arrayFlag(
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
    options: (inv) => ({ args: inv.args, flags: inv.command.opts() }),
    engine: async () => (o, deps) => run(o.args, o.flags, deps),
  });
}
