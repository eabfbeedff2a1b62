// The engine entries of `flux plugin install|list|search|uninstall|update`, with upstream
// flux v2.9.5's outputs and errors (cmd/flux/plugin_*.go). The plugin directory and the
// catalog come from the environment as upstream reads them ($FLUXCD_PLUGINS,
// $FLUXCD_PLUGIN_CATALOG). Unlike upstream, `update` exits 1 when a plugin failed to
// update: a ✗ line always comes with a non-zero exit (README).
import type { Deps } from "../deps.js";
import { CliError } from "../errors.js";
import { printTable } from "../output/printers.js";
import { startSpinner } from "../output/spinner.js";
import {
  CatalogClient,
  catalogBase,
  goArch,
  goOS,
  isDigestRef,
  parseNameVersion,
  resolveByDigest,
  resolvePlatform,
  resolveVersion,
} from "./catalog.js";
import { discoverPlugins, ensurePluginDir, pluginDir } from "./discovery.js";
import { installPlugin, readReceipt, uninstallPlugin } from "./install.js";
import type { PluginPlatform, PluginVersion } from "./types.js";
import { checkUpdate, SKIP_MANUAL } from "./update.js";

interface PluginCommandOptions {
  /** Positional arguments (counted here with cobra's wording). */
  args: string[];
  /** Names of the built-in commands: a plugin never shadows one. */
  builtins: string[];
  /** $FLUXCD_PLUGINS and $FLUXCD_PLUGIN_CATALOG are read from here (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Delay before the first retry of a failed request (default 1s, doubling). */
  retryDelayMs?: number | undefined;
}

export type PluginInstallOptions = PluginCommandOptions;
export type PluginListOptions = PluginCommandOptions;
export type PluginSearchOptions = PluginCommandOptions;
export type PluginUninstallOptions = PluginCommandOptions;
export type PluginUpdateOptions = PluginCommandOptions;

function exactArgs(args: string[], n: number): void {
  if (args.length !== n) throw new CliError(`accepts ${n} arg(s), received ${args.length}`);
}

function maximumArgs(args: string[], n: number): void {
  if (args.length > n) throw new CliError(`accepts at most ${n} arg(s), received ${args.length}`);
}

function catalogFor(o: PluginCommandOptions): CatalogClient {
  return new CatalogClient({ baseUrl: catalogBase(o.env), retryDelayMs: o.retryDelayMs });
}

const failed = (err: unknown) => new CliError((err as Error).message);

/** flux plugin install <name>[@<version>|@<digest>] */
export async function runPluginInstall(o: PluginInstallOptions, deps: Deps): Promise<void> {
  exactArgs(o.args, 1);
  const [name, ref] = parseNameVersion(o.args[0] ?? "");
  const catalog = catalogFor(o);
  const os = goOS();
  const arch = goArch();
  let version: PluginVersion;
  let platform: PluginPlatform;
  try {
    const manifest = await catalog.fetchManifest(name);
    if (isDigestRef(ref)) {
      ({ version, platform } = resolveByDigest(manifest, ref, os, arch));
    } else {
      version = resolveVersion(manifest, ref);
      try {
        platform = resolvePlatform(version, os, arch);
      } catch {
        throw new Error(`plugin ${JSON.stringify(name)} v${version.version} has no binary for ${os}/${arch}`);
      }
    }
    const dir = ensurePluginDir(o.env);
    const spinner = await startSpinner(`installing ${name} v${version.version}`, deps.logger, deps.io.stderr);
    try {
      await installPlugin(dir, manifest, version, platform, { retryDelayMs: o.retryDelayMs });
    } finally {
      spinner.stop();
    }
  } catch (err) {
    throw failed(err);
  }
  deps.logger.success(`installed ${name} v${version.version}`);
}

/** flux plugin list */
export async function runPluginList(o: PluginListOptions, deps: Deps): Promise<void> {
  await Promise.resolve();
  const dir = pluginDir(o.env);
  const plugins = discoverPlugins(o.builtins, dir);
  if (plugins.length === 0) {
    deps.io.stdout.write("No plugins found\n");
    return;
  }
  const rows = plugins.map((p) => [p.name, readReceipt(dir, p.name)?.version ?? "manual", p.path]);
  deps.io.stdout.write(printTable(["NAME", "VERSION", "PATH"], rows));
}

/** flux plugin search [query] */
export async function runPluginSearch(o: PluginSearchOptions, deps: Deps): Promise<void> {
  maximumArgs(o.args, 1);
  let catalog;
  try {
    catalog = await catalogFor(o).fetchCatalog();
  } catch (err) {
    throw failed(err);
  }
  const query = (o.args[0] ?? "").toLowerCase();
  const dir = pluginDir(o.env);
  const rows: string[][] = [];
  for (const entry of catalog.plugins ?? []) {
    const name = entry.name ?? "";
    const description = entry.description ?? "";
    if (query && !name.toLowerCase().includes(query) && !description.toLowerCase().includes(query)) continue;
    rows.push([name, description, readReceipt(dir, name)?.version ?? ""]);
  }
  if (rows.length === 0) {
    deps.io.stdout.write(
      query ? `No plugins matching ${JSON.stringify(query)} found in catalog\n` : "No plugins found in catalog\n",
    );
    return;
  }
  deps.io.stdout.write(printTable(["NAME", "DESCRIPTION", "INSTALLED"], rows));
}

/** flux plugin uninstall <name> */
export async function runPluginUninstall(o: PluginUninstallOptions, deps: Deps): Promise<void> {
  await Promise.resolve();
  exactArgs(o.args, 1);
  const name = o.args[0] ?? "";
  try {
    uninstallPlugin(pluginDir(o.env), name);
  } catch (err) {
    throw failed(err);
  }
  deps.logger.success(`uninstalled ${name}`);
}

/** flux plugin update [name] */
export async function runPluginUpdate(o: PluginUpdateOptions, deps: Deps): Promise<void> {
  maximumArgs(o.args, 1);
  const catalog = catalogFor(o);
  let plugins = discoverPlugins(o.builtins, pluginDir(o.env));
  if (plugins.length === 0) {
    deps.io.stdout.write("No plugins found\n");
    return;
  }
  if (o.args.length === 1) {
    const one = plugins.find((p) => p.name === o.args[0]);
    if (!one) throw new CliError(`plugin ${JSON.stringify(o.args[0])} is not installed`);
    plugins = [one];
  }
  const dir = ensurePluginDir(o.env);
  const { logger } = deps;
  for (const p of plugins) {
    let check;
    try {
      check = await checkUpdate(dir, p.name, catalog, goOS(), goArch());
    } catch (err) {
      logger.failure(`error checking ${p.name}: ${(err as Error).message}`);
      continue;
    }
    if (check.skipped === SKIP_MANUAL) {
      logger.warning(`skipping ${p.name} (${check.skipped})`);
      continue;
    }
    if (check.skipped) {
      logger.success(`${p.name} already up to date (v${check.fromVersion})`);
      continue;
    }
    const change = `${p.name} v${check.fromVersion} \u2192 v${check.toVersion}`;
    const spinner = await startSpinner(`updating ${change}`, logger, deps.io.stderr);
    try {
      await installPlugin(dir, check.manifest, check.version, check.platform, { retryDelayMs: o.retryDelayMs });
    } catch (err) {
      spinner.stop();
      logger.failure(`error updating ${p.name}: ${(err as Error).message}`);
      continue;
    }
    spinner.stop();
    logger.success(`updated ${change}`);
  }
}
