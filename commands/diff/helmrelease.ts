// `flux diff helmrelease NAME --path DIR` (beyond upstream): renders the HelmRelease
// from files with the real helm and diffs it against the cluster by server-side
// dry-run. Exit 0 no change, 1 changes, 2 error (as diff kustomization).
import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { helpText } from "../../src/cli/help.js";
import type { Deps } from "../../src/deps.js";
import { arrayFlag, boolFlag, outputFlag } from "../../src/cli/flags.js";
import { helmReleaseOptions } from "../build/helmrelease.js";

interface Flags {
  path?: string;
  localSources?: string[];
  output?: string;
  progressBar?: boolean;
}

async function run(args: string[], opts: Record<string, unknown>, ctx: Deps): Promise<void> {
  const flags = opts as Flags;
  const { CliError, errorMessage } = await import("../../src/errors.js");
  const { colorEnabled } = await import("../../src/output/logger.js");
  const { ansiPalette, plainPalette, renderHuman, renderJson, renderMarkdown } =
    await import("../../src/diff/render.js");
  const { CHANGED_MESSAGE } = await import("../../src/diff/diff-cmd.js");
  const { DIFF_FORMATS, parseOutputFormat } = await import("../../src/output/printers.js");
  let output: (typeof DIFF_FORMATS)[number];
  let report;
  let spinner: { stop(): void } | undefined;
  try {
    output = parseOutputFormat(flags.output, DIFF_FORMATS, "human");
    const options = await helmReleaseOptions(args, flags, ctx, 2);
    const { createKubeClient } = await import("../../src/kube/client.js");
    const { restDryRunner } = await import("../../src/kube/dryrun.js");
    const { kubeRest, listAll } = await import("../../src/kube/rest.js");
    const { diffHelmRelease, decodeReleaseManifest } = await import("../../src/diff/helmrelease.js");
    const client = await createKubeClient(ctx.globals);
    options.namespace = client.namespace;
    const version = await kubeRest<{ gitVersion?: string }>(client, "GET", "/version").catch(() => undefined);
    if (version?.gitVersion) options.kubeVersion = version.gitVersion.replace(/[-+].*$/, "");
    if (flags.progressBar !== false && ctx.io.stderr.isTTY) {
      const { startSpinner } = await import("../../src/output/spinner.js");
      spinner = await startSpinner("HelmRelease diffing... rendering and running dry-run", ctx.logger, ctx.io.stderr);
    }
    const dryRunner = restDryRunner(client);
    report = await diffHelmRelease({
      ...options,
      dryRunner,
      deployedManifest: async (namespace, release) => {
        const list = await listAll<{ data?: Record<string, string>; metadata?: { labels?: Record<string, string> } }>(
          client,
          `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`,
          { labelSelector: `owner=helm,name=${release},status=deployed` },
        );
        const latest = list.items
          .filter((s) => s.data?.release)
          .sort((a, b) => Number(b.metadata?.labels?.version ?? 0) - Number(a.metadata?.labels?.version ?? 0))[0];
        return latest
          ? decodeReleaseManifest(Buffer.from(latest.data!.release!, "base64").toString("utf8"))
          : undefined;
      },
    });
  } catch (err) {
    throw new CliError(err instanceof CliError ? err.message : errorMessage(err), 2);
  } finally {
    spinner?.stop();
  }
  const palette = output === "human" && colorEnabled(ctx.io.stdout) ? ansiPalette : plainPalette;
  ctx.io.stdout.write(
    output === "json"
      ? renderJson(report)
      : output === "markdown"
        ? renderMarkdown(report)
        : renderHuman(report, palette),
  );
  if (report.errors.length > 0) throw new CliError(report.errors.join("\n"), 2);
  if (report.changed) {
    ctx.logger.warning(CHANGED_MESSAGE);
    throw new CliError("", 1);
  }
}

export function register(program: Command): void {
  const cmd = program
    .command("helmrelease")
    .alias("hr")
    .argument("[name]")
    .description("Diff HelmRelease")
    .summary("Diff HelmRelease")
    .option("--path <string>", "Path to the files holding the HelmRelease, its source and its values.");
  boolFlag(cmd, "--progress-bar", "Boolean to set the progress bar. The default value is true.", true);
  arrayFlag(
    cmd,
    "--local-sources <stringToString>",
    "Comma-separated list of repositories in format: Kind/namespace/name=path",
  );
  outputFlag(cmd, "the format of the diff", ["human", "json", "markdown"], "human");
  helpText(cmd, {
    long: `The diff command renders the HelmRelease found in the files under --path with the real
helm (as 'flux build helmrelease' does), then performs a server-side dry-run of every
object and prints the diff against the cluster. Objects of the deployed release that the
new rendering no longer contains are shown as deleted.
Exit status: 0 No differences were found. 1 Differences were found. >1 diff failed with an error.`,
    example: `  # Preview the effect of a HelmRelease change on the cluster
  flux diff helmrelease podinfo -n apps --path ./apps/podinfo

  # Post the changes as a pull request comment
  flux diff helmrelease podinfo -n apps --path ./apps/podinfo -o markdown > diff.md`,
  });
  bind(cmd, {
    options: (inv) => ({ args: inv.args, flags: inv.command.opts() }),
    engine: async () => (o, deps) => run(o.args, o.flags, deps),
  });
}
