// `flux diff kustomization NAME --path DIR`: exit 0 when nothing would change,
// 1 when something would (after printing it), 2 on any error.
import type { Deps } from "../deps.js";
import { CliError, errorMessage } from "../errors.js";
import { DIFF_FORMATS, parseOutputFormat } from "../output/printers.js";
import {
  buildOptionsFrom,
  exitOnInterrupt,
  withDeadline,
  type BuildKustomizationOptions,
} from "../kustomize/build-cmd.js";
import { diffKustomization } from "./kustomization.js";
import { writeDiffReport } from "./report.js";
import { createKubeClient } from "../kube/client.js";
import { kubeReader } from "../kustomize/cluster.js";
import { restDryRunner } from "../kube/dryrun.js";

/** `flux diff kustomization` as the command line gives it. */
export interface DiffKustomizationOptions extends BuildKustomizationOptions {
  progressBar: boolean;
  output: string;
}

function startSpinner(deps: Deps): { update(done: number, total: number): void; stop(): void } {
  const stream = deps.io.stderr;
  if (!stream.isTTY) return { update: () => {}, stop: () => {} };
  const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
  let i = 0;
  let message = "running dry-run";
  const draw = () => stream.write(`\r\u001b[2K${frames[i++ % frames.length]} Kustomization diffing... ${message}`);
  draw();
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    update(done, total) {
      message = `running dry-run (${done}/${total})`;
    },
    stop() {
      clearInterval(timer);
      stream.write("\r\u001b[2K");
    },
  };
}

export async function runDiffKustomization(flags: DiffKustomizationOptions, deps: Deps): Promise<void> {
  let output: (typeof DIFF_FORMATS)[number];
  let spinner: ReturnType<typeof startSpinner> | undefined;
  const release = exitOnInterrupt(deps);
  let report;
  try {
    output = parseOutputFormat(flags.output, DIFF_FORMATS, "human");
    const options = buildOptionsFrom(flags, deps, 2);
    const client = await createKubeClient(deps.globals);
    options.namespace = client.namespace;
    options.reader = kubeReader(client);
    if (flags.progressBar) spinner = startSpinner(deps);
    const dryRunner = restDryRunner(client);
    report = await withDeadline(
      diffKustomization({
        ...options,
        dryRunner,
        onProgress: (done, total) => spinner?.update(done, total),
      }),
      deps,
      2,
    );
  } catch (err) {
    throw new CliError(err instanceof CliError ? err.message : errorMessage(err), 2);
  } finally {
    spinner?.stop();
    release();
  }
  writeDiffReport(report, output, deps);
}
