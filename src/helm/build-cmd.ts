// `flux build helmrelease NAME --path DIR` (beyond upstream): validates the command
// line, renders the HelmRelease from files with the real helm, offline, and prints
// the objects (YAML, or a JSON List).
import { statSync } from "node:fs";
import type { Deps } from "../deps.js";
import { CliError } from "../errors.js";
import { objectsToYaml, parseLocalSources } from "../kustomize/build.js";
import { DATA_FORMATS, asList, parseOutputFormat, printJson } from "../output/printers.js";
import { buildHelmRelease, type BuildHelmReleaseOptions } from "./build.js";

/** `flux build helmrelease` (and `diff helmrelease`) as the command line gives it. */
export interface HelmReleaseFileOptions {
  name: string | undefined;
  path: string | undefined;
  localSources: string[] | undefined;
}

export interface BuildHelmReleaseCommandOptions extends HelmReleaseFileOptions {
  output: string | undefined;
}

/** Validates the command line into the engine's options (exit code 2 for diff). */
export function helmReleaseOptions(opts: HelmReleaseFileOptions, deps: Deps, exitCode = 1): BuildHelmReleaseOptions {
  const name = opts.name;
  if (!name) throw new CliError("HelmRelease name is required", exitCode);
  if (!opts.path) throw new CliError("--path is required: the directory holding the HelmRelease manifests", exitCode);
  let isDir = false;
  try {
    isDir = statSync(opts.path).isDirectory();
  } catch {
    /* reported below */
  }
  if (!isDir) throw new CliError(`invalid resource path "${opts.path}"`, exitCode);
  return {
    name,
    namespace: deps.globals.namespace,
    path: opts.path,
    localSources: parseLocalSources(opts.localSources),
    timeoutMs: deps.globals.timeoutMs,
  };
}

export async function runBuildHelmRelease(opts: BuildHelmReleaseCommandOptions, deps: Deps): Promise<void> {
  const output = parseOutputFormat(opts.output, DATA_FORMATS, "yaml");
  const { objects } = await buildHelmRelease(helmReleaseOptions(opts, deps));
  deps.io.stdout.write(output === "json" ? printJson(asList(objects)) : await objectsToYaml(objects));
}
