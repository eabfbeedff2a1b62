// Renders the distribution with the real kustomize, found as build and diff find it
// (src/kustomize/runner.ts: TSFLUX_KUSTOMIZE, the tool cache's v5.8.1, kustomize or
// kubectl on PATH).
import { execFile } from "node:child_process";
import { CliError } from "../errors.js";
import { findKustomize as findRunner, kustomizeMessage } from "../kustomize/runner.js";

export interface KustomizeCommand {
  file: string;
  args: (dir: string) => string[];
}

export function findKustomize(env: NodeJS.ProcessEnv = process.env): KustomizeCommand {
  const found = findRunner(env);
  return { file: found.file, args: (dir) => [...found.args, dir] };
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
