// Where tsflux finds the real tools it runs (kustomize, helm): the tool cache that
// scripts/setup.sh builds into, and PATH.
import { accessSync, constants, lstatSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** The tool cache setup builds into: $TSFLUX_TOOLS_CACHE, else $XDG_CACHE_HOME/tsflux/tools, else ~/.cache/tsflux/tools. */
export function toolsCache(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TSFLUX_TOOLS_CACHE) return env.TSFLUX_TOOLS_CACHE;
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), ".cache");
  return path.join(base, "tsflux", "tools");
}

/** True when `file` is an executable that is not a directory. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return !lstatSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** The first executable `name` (not a directory) in the directories of `envPath`. */
export function findOnPath(name: string, envPath: string | undefined): string | undefined {
  for (const dir of (envPath ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}
