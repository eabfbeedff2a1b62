// `flux diff helmrelease NAME --path DIR` (beyond upstream): renders the HelmRelease
// from files with the real helm and diffs it against the cluster by server-side
// dry-run. Exit 0 no change, 1 changes, 2 error (as diff kustomization).
import type { Deps } from "../deps.js";
import { CliError, errorMessage } from "../errors.js";
import { helmReleaseOptions, type HelmReleaseFileOptions } from "../helm/build-cmd.js";
import { createKubeClient } from "../kube/client.js";
import { restDryRunner } from "../kube/dryrun.js";
import { kubeRest, listAll } from "../kube/rest.js";
import { DIFF_FORMATS, parseOutputFormat } from "../output/printers.js";
import { startSpinner } from "../output/spinner.js";
import { decodeReleaseManifest, diffHelmRelease, type HelmReleaseDiffReport } from "./helmrelease.js";
import { writeDiffReport } from "./report.js";

/** `flux diff helmrelease` as the command line gives it. */
export interface DiffHelmReleaseOptions extends HelmReleaseFileOptions {
  output: string | undefined;
  progressBar: boolean;
}

type HelmSecret = { data?: Record<string, string>; metadata?: { labels?: Record<string, string> } };

export async function runDiffHelmRelease(opts: DiffHelmReleaseOptions, deps: Deps): Promise<void> {
  let output: (typeof DIFF_FORMATS)[number];
  let report: HelmReleaseDiffReport;
  let spinner: { stop(): void } | undefined;
  try {
    output = parseOutputFormat(opts.output, DIFF_FORMATS, "human");
    const options = helmReleaseOptions(opts, deps, 2);
    const client = await createKubeClient(deps.globals);
    options.namespace = client.namespace;
    const version = await kubeRest<{ gitVersion?: string }>(client, "GET", "/version").catch(() => undefined);
    if (version?.gitVersion) options.kubeVersion = version.gitVersion.replace(/[-+].*$/, "");
    if (opts.progressBar && deps.io.stderr.isTTY) {
      spinner = await startSpinner("HelmRelease diffing... rendering and running dry-run", deps.logger, deps.io.stderr);
    }
    report = await diffHelmRelease({
      ...options,
      dryRunner: restDryRunner(client),
      // The manifest of the release's latest deployed revision (helm's storage Secrets).
      deployedManifest: async (namespace, release) => {
        const list = await listAll<HelmSecret>(client, `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`, {
          labelSelector: `owner=helm,name=${release},status=deployed`,
        });
        const latest = list.items
          .filter((s) => s.data?.release)
          .sort((a, b) => Number(b.metadata?.labels?.version ?? 0) - Number(a.metadata?.labels?.version ?? 0))[0];
        const data = latest?.data?.release;
        return data ? decodeReleaseManifest(Buffer.from(data, "base64").toString("utf8")) : undefined;
      },
    });
  } catch (err) {
    throw new CliError(err instanceof CliError ? err.message : errorMessage(err), 2);
  } finally {
    spinner?.stop();
  }
  writeDiffReport(report, output, deps);
}
