// Runs the real kustomize: a `kustomize` binary on PATH (`kustomize build DIR`), or
// kubectl's embedded one (`kubectl kustomize DIR`). TSFLUX_KUSTOMIZE may name a kustomize
// binary explicitly.
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { CliError } from "../errors.js";

export interface KustomizeCommand {
  file: string;
  args: (dir: string) => string[];
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

export function findKustomize(env: NodeJS.ProcessEnv = process.env): KustomizeCommand {
  const flags = ["--load-restrictor=LoadRestrictionsNone"];
  const explicit = env.TSFLUX_KUSTOMIZE;
  if (explicit) return { file: explicit, args: (dir) => ["build", ...flags, dir] };
  const k = onPath("kustomize", env);
  if (k) return { file: k, args: (dir) => ["build", ...flags, dir] };
  const kubectl = onPath("kubectl", env);
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
          const detail = (stderr || err.message).trim().split("\n").slice(-3).join("; ");
          reject(new CliError(`kustomize build failed: ${detail}`));
          return;
        }
        resolve(stdout);
      },
    );
  });
}
