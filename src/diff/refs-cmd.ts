// `flux diff refs --base REF [--head REF] --path DIR` (beyond upstream): builds every
// Flux Kustomization and HelmRelease under DIR at two git refs, without a cluster,
// and prints the object-level difference. Exit 0 no change, 1 changes, 2 error.
import type { Deps } from "../deps.js";
import { CliError, errorMessage } from "../errors.js";
import { parseLocalSources } from "../kustomize/build.js";
import { DIFF_FORMATS, parseOutputFormat } from "../output/printers.js";
import { diffRefs, type RefsReport } from "./refs.js";
import { renderRefsHuman, renderRefsJson, renderRefsMarkdown } from "./refs-render.js";
import { exitOnChanges, paletteFor } from "./report.js";

/** `flux diff refs` as the command line gives it. */
export interface DiffRefsCommandOptions {
  base: string | undefined;
  head: string | undefined;
  path: string;
  localSources: string[] | undefined;
  output: string | undefined;
}

export async function runDiffRefs(opts: DiffRefsCommandOptions, deps: Deps): Promise<void> {
  let output: (typeof DIFF_FORMATS)[number];
  let report: RefsReport;
  try {
    output = parseOutputFormat(opts.output, DIFF_FORMATS, "human");
    if (!opts.base) throw new CliError("--base is required: the git ref to compare against (e.g. origin/main)", 2);
    report = await diffRefs({
      base: opts.base,
      head: opts.head,
      path: opts.path,
      namespace: deps.globals.namespace,
      localSources: parseLocalSources(opts.localSources),
      timeoutMs: deps.globals.timeoutMs,
    });
  } catch (err) {
    throw new CliError(err instanceof CliError ? err.message : errorMessage(err), 2);
  }
  deps.io.stdout.write(
    output === "json"
      ? renderRefsJson(report)
      : output === "markdown"
        ? renderRefsMarkdown(report)
        : renderRefsHuman(report, paletteFor(output, deps)),
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
  exitOnChanges(report.changed, deps);
}
