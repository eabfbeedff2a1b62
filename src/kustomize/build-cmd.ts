// `flux build kustomization NAME --path DIR`: validates the flags like upstream,
// wires the cluster reader (unless --dry-run) and prints the objects.
import { statSync } from "node:fs";
import path from "node:path";
import type { Deps } from "../deps.js";
import { CliError } from "../errors.js";
import { buildKustomization, objectsToYaml, parseLocalSources, type BuildOptions } from "./build.js";
import type { ObjectReader } from "./cluster.js";

/** `flux build kustomization` as the command line gives it (diff adds its own flags). */
export interface BuildKustomizationOptions {
  name: string | undefined;
  path?: string | undefined;
  kustomizationFile?: string | undefined;
  ignorePaths?: string[] | undefined;
  dryRun?: boolean | undefined;
  /** diff: a Kustomization missing from the cluster is a new one, read from kustomizationFile. */
  ignoreNotFound?: boolean | undefined;
  strictSubstitute?: boolean | undefined;
  recursive?: boolean | undefined;
  localSources?: string[] | undefined;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return !statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Validates the command line and returns the engine's options (without the reader). */
export function buildOptionsFrom(flags: BuildKustomizationOptions, deps: Deps, exitCode = 1): BuildOptions {
  const name = flags.name;
  if (!name) throw new CliError("Kustomization name is required", exitCode);
  if (!flags.path) throw new CliError(`invalid resource path ""`, exitCode);
  const dir = path.resolve(flags.path);
  if (!isDirectory(dir)) throw new CliError(`invalid resource path "${dir}"`, exitCode);
  if (flags.dryRun && !flags.kustomizationFile)
    throw new CliError("dry-run mode requires a kustomization file", exitCode);
  if (flags.kustomizationFile) {
    if (!isFile(flags.kustomizationFile))
      throw new CliError(`invalid kustomization file "${flags.kustomizationFile}"`, exitCode);
  }
  if (flags.ignoreNotFound && !flags.kustomizationFile)
    throw new CliError("kustomization file is required when assuming new kustomizations", exitCode);
  return {
    name,
    path: dir,
    namespace: deps.globals.namespace,
    kustomizationFile: flags.kustomizationFile,
    ignoreNotFound: Boolean(flags.ignoreNotFound),
    dryRun: Boolean(flags.dryRun),
    ignorePaths: flags.ignorePaths ?? [],
    strictSubstitute: Boolean(flags.strictSubstitute),
    recursive: Boolean(flags.recursive),
    localSources: parseLocalSources(flags.localSources),
    warn: (line) => deps.logger.warning(line),
    timeoutMs: deps.globals.timeoutMs,
  };
}

export async function clusterReader(deps: Deps): Promise<{ reader: ObjectReader; namespace: string }> {
  // Lazy: `build kustomization --dry-run` never talks to the cluster.
  const { createKubeClient } = await import("../kube/client.js");
  const { kubeReader } = await import("./cluster.js");
  const client = await createKubeClient(deps.globals);
  return { reader: kubeReader(client), namespace: client.namespace };
}

/** Rejects with an actionable message when `promise` outlives the --timeout. */
export async function withDeadline<T>(promise: Promise<T>, deps: Deps, exitCode = 1): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CliError(
            `timed out after ${deps.globals.timeout}: raise --timeout for larger builds or slower clusters`,
            exitCode,
          ),
        ),
      deps.globals.timeoutMs,
    );
    timer.unref();
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Ctrl-C: leave nothing behind (the runner's exit hook removes temp trees). */
export function exitOnInterrupt(deps: Deps): () => void {
  const onSignal = () => {
    deps.io.stderr.write("Build cancelled... exiting.\n");
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}

export async function runBuildKustomization(flags: BuildKustomizationOptions, deps: Deps): Promise<void> {
  const options = buildOptionsFrom(flags, deps);
  if (!options.dryRun) {
    const { reader, namespace } = await clusterReader(deps);
    options.reader = reader;
    options.namespace = namespace;
  }
  const release = exitOnInterrupt(deps);
  try {
    const { objects } = await withDeadline(buildKustomization(options), deps);
    deps.io.stdout.write(await objectsToYaml(objects));
  } finally {
    release();
  }
}
