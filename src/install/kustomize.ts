// Runs the real kustomize: a `kustomize` binary on PATH (`kustomize build DIR`), or
// kubectl's embedded one (`kubectl kustomize DIR`). TSFLUX_KUSTOMIZE may name a kustomize
// binary explicitly.
import { execFile } from "node:child_process";
import { CliError } from "../errors.js";
import { findOnPath, kustomizeMessage } from "../kustomize/runner.js";

export interface KustomizeCommand {
  file: string;
  args: (dir: string) => string[];
}

export function findKustomize(env: NodeJS.ProcessEnv = process.env): KustomizeCommand {
  const flags = ["--load-restrictor=LoadRestrictionsNone"];
  const explicit = env.TSFLUX_KUSTOMIZE;
  if (explicit) return { file: explicit, args: (dir) => ["build", ...flags, dir] };
  const k = findOnPath("kustomize", env.PATH);
  if (k) return { file: k, args: (dir) => ["build", ...flags, dir] };
  const kubectl = findOnPath("kubectl", env.PATH);
  if (kubectl) return { file: kubectl, args: (dir) => ["kustomize", ...flags, dir] };
  throw new CliError(
    "kustomize is required to render the Flux manifests, but neither 'kustomize' nor 'kubectl' was found on PATH: install one of them (kubectl includes kustomize) or set TSFLUX_KUSTOMIZE to a kustomize binary",
  );
}

/** Builds a kustomization directory and returns the multi-document YAML. */
export function kustomizeBuild(
  dir: string,
  cmd: KustomizeCommand = findKustomize(),
  timeoutMs = 120_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd.file,
      cmd.args(dir),
      { maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs, encoding: "utf8" },
      (err, stdout, stderr) => {
        if (err) {
          // one line: kustomize's own message without kubectl's klog framing
          const detail = kustomizeMessage(stderr || err.message)
            .split("\n")
            .slice(-3)
            .join("; ");
          reject(new CliError(`kustomize build failed: ${detail}`));
          return;
        }
        resolve(stdout);
      },
    );
  });
}
