// Runs the real helm (v4, the major version flux v2.9.5's helm-controller links):
// the one setup builds into the tool cache, else `helm` on PATH. tsflux never
// renders Go templates itself. Every run gets its own HELM_* homes in a temporary
// directory, so the user's repositories, registry logins and cache are neither
// read nor changed.
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { CliError } from "../errors.js";
import { findOnPath, toolsCache } from "../util/tools.js";

export const HELM_VERSION = "4.2.2";

export const HELM_NOT_FOUND =
  `helm not found: run 'bash scripts/setup.sh' (it builds helm v${HELM_VERSION} into the tool cache), ` +
  `or install helm v4 (https://helm.sh/docs/intro/install/, or 'GOBIN=$HOME/.local/bin go install helm.sh/helm/v4/cmd/helm@v${HELM_VERSION}') and put it on PATH`;

export { toolsCache };

/** The helm executable: $TSFLUX_HELM, the tool cache's helm, or helm on PATH. */
export function findHelm(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [env.TSFLUX_HELM, path.join(toolsCache(env), `helm-v${HELM_VERSION}`, "helm")];
  for (const c of candidates) {
    if (!c) continue;
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      /* next */
    }
  }
  const onPath = findOnPath("helm", env.PATH);
  if (onPath) return onPath;
  throw new CliError(HELM_NOT_FOUND);
}

export interface RunHelmOptions {
  helm?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** Directory for HELM_CACHE_HOME, HELM_CONFIG_HOME and HELM_DATA_HOME (a temp dir). */
  home: string;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** helm's own message, without the `Error: ` prefix and with the temp home removed. */
export function helmMessage(stderr: string, home: string): string {
  return stderr
    .split(home)
    .join("")
    .trim()
    .split("\n")
    .filter((l) => !/^\s*$/.test(l))
    .map((l) => l.replace(/^Error: /, ""))
    .join("\n");
}

/** Runs helm with `args`; resolves with stdout, rejects with helm's error as a CliError. */
export function runHelm(args: string[], opts: RunHelmOptions): Promise<string> {
  const helm = opts.helm ?? findHelm(opts.env);
  const base = opts.env ?? process.env;
  const env: NodeJS.ProcessEnv = {
    PATH: base.PATH,
    HOME: opts.home,
    HELM_CACHE_HOME: path.join(opts.home, "cache"),
    HELM_CONFIG_HOME: path.join(opts.home, "config"),
    HELM_DATA_HOME: path.join(opts.home, "data"),
    HELM_PLUGINS: path.join(opts.home, "plugins"),
    NO_COLOR: "1",
  };
  return new Promise((resolve, reject) => {
    execFile(
      helm,
      args,
      { env, maxBuffer: 1024 * 1024 * 1024, timeout: opts.timeoutMs, signal: opts.signal, encoding: "utf8" },
      (err, stdout, stderr) => {
        if (!err) resolve(stdout);
        else if ((err as NodeJS.ErrnoException).code === "ENOENT") reject(new CliError(HELM_NOT_FOUND));
        else if (err.killed && !opts.signal?.aborted)
          reject(new CliError(`helm ${args[0]} timed out after ${opts.timeoutMs}ms`));
        else reject(new CliError(`helm ${args[0]} failed: ${helmMessage(stderr || err.message, opts.home)}`));
      },
    );
  });
}
