// Where plugins live and which are there, as upstream flux v2.9.5 finds them
// (internal/plugin/discovery.go): executables named flux-<name> directly in the plugin
// directory ($FLUXCD_PLUGINS, else ~/.fluxcd/plugins). Names of built-in commands and
// the reserved "plugin" and "help" are never plugins, so a plugin cannot shadow them.
// Loaded at start-up when a command line names no built-in: node:fs and node:path only.
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const PLUGIN_PREFIX = "flux-";
const RESERVED = new Set(["plugin", "help"]);

export interface DiscoveredPlugin {
  /** "operator" for flux-operator. */
  name: string;
  /** The executable's path in the plugin directory. */
  path: string;
}

/** $FLUXCD_PLUGINS, else ~/.fluxcd/plugins ("" when there is no home directory). */
export function pluginDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLUXCD_PLUGINS) return env.FLUXCD_PLUGINS;
  let home: string;
  try {
    home = homedir();
  } catch {
    return "";
  }
  return home ? join(home, ".fluxcd", "plugins") : "";
}

/** The plugin directory, created (0755) when it is the default one; $FLUXCD_PLUGINS is used as given. */
export function ensurePluginDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = pluginDir(env);
  if (dir && !env.FLUXCD_PLUGINS) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
    } catch {}
  }
  return dir;
}

/** The plugin name a file name gives: "flux-operator" → "operator"; undefined for other names. */
export function pluginNameOf(fileName: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (!fileName.startsWith(PLUGIN_PREFIX)) return undefined;
  let name = fileName.slice(PLUGIN_PREFIX.length);
  if (platform === "win32") {
    const ext = [".exe", ".cmd", ".bat"].find((e) => name.toLowerCase().endsWith(e));
    if (ext) name = name.slice(0, -ext.length);
  }
  return name === "" ? undefined : name;
}

/**
 * The installed plugins, sorted by file name: regular executable files (symbolic links
 * followed) named flux-<name>, less those named like a built-in command. A missing or
 * unreadable directory has none.
 */
export function discoverPlugins(builtins: Iterable<string>, dir: string = pluginDir()): DiscoveredPlugin[] {
  if (!dir) return [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const skip = new Set(builtins);
  const plugins: DiscoveredPlugin[] = [];
  // Byte order, as Go's os.ReadDir sorts.
  for (const file of names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const name = pluginNameOf(file);
    if (name === undefined || RESERVED.has(name) || skip.has(name)) continue;
    const path = join(dir, file);
    try {
      const st = statSync(path);
      if (!st.isFile()) continue;
      if (process.platform !== "win32" && (st.mode & 0o111) === 0) continue;
    } catch {
      continue; // a broken link, no permission
    }
    plugins.push({ name, path });
  }
  return plugins;
}
