// `flux build helmrelease NAME --path DIR` (beyond upstream): renders a HelmRelease
// from the manifests in files with the real helm, offline.
import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { helpText } from "../../src/cli/help.js";
import type { Deps } from "../../src/deps.js";
import { arrayFlag, outputFlag } from "../../src/cli/flags.js";
import type { BuildHelmReleaseOptions } from "../../src/helm/build.js";

interface Flags {
  path?: string;
  localSources?: string[];
  output?: string;
}

/** Validates the command line into the engine's options. */
export async function helmReleaseOptions(
  args: string[],
  flags: Pick<Flags, "path" | "localSources">,
  ctx: Deps,
  exitCode = 1,
): Promise<BuildHelmReleaseOptions> {
  const { CliError } = await import("../../src/errors.js");
  const { statSync } = await import("node:fs");
  const { parseLocalSources } = await import("../../src/kustomize/build.js");
  const name = args[0];
  if (!name) throw new CliError("HelmRelease name is required", exitCode);
  if (!flags.path) throw new CliError("--path is required: the directory holding the HelmRelease manifests", exitCode);
  let isDir = false;
  try {
    isDir = statSync(flags.path).isDirectory();
  } catch {
    /* reported below */
  }
  if (!isDir) throw new CliError(`invalid resource path "${flags.path}"`, exitCode);
  return {
    name,
    namespace: ctx.globals.namespace,
    path: flags.path,
    localSources: parseLocalSources(flags.localSources),
    timeoutMs: ctx.globals.timeoutMs,
  };
}

async function run(args: string[], opts: Record<string, unknown>, ctx: Deps): Promise<void> {
  const flags = opts as Flags;
  const { DATA_FORMATS, asList, parseOutputFormat, printJson } = await import("../../src/output/printers.js");
  const output = parseOutputFormat(flags.output, DATA_FORMATS, "yaml");
  const options = await helmReleaseOptions(args, flags, ctx);
  const { buildHelmRelease } = await import("../../src/helm/build.js");
  const { objects } = await buildHelmRelease(options);
  if (output === "json") {
    ctx.io.stdout.write(printJson(asList(objects)));
  } else {
    const { objectsToYaml } = await import("../../src/kustomize/build.js");
    ctx.io.stdout.write(await objectsToYaml(objects));
  }
}

export function register(program: Command): void {
  const cmd = program
    .command("helmrelease")
    .alias("hr")
    .argument("[name]")
    .description("Build HelmRelease")
    .summary("Build HelmRelease")
    .option("--path <string>", "Path to the files holding the HelmRelease, its source and its values.");
  arrayFlag(
    cmd,
    "--local-sources <stringToString>",
    "Comma-separated list of repositories in format: Kind/namespace/name=path",
  );
  outputFlag(cmd, "the format of the output", ["yaml", "json"], "yaml");
  helpText(cmd, {
    long: `The build command renders a HelmRelease found in the files under --path, offline, as
helm-controller would install it: the chart from its HelmRepository (HTTP or OCI),
OCIRepository, or a GitRepository/Bucket folder in the same tree; values and valuesFrom
(ConfigMaps and Secrets found in the files); post-renderers; the release name and
namespace helm-controller uses. It runs the real helm (v4) and prints the objects.`,
    example: `  # Render a HelmRelease defined in the files of a fleet repository
  flux build helmrelease podinfo -n apps --path ./apps/podinfo

  # The same objects as a JSON List
  flux build helmrelease podinfo -n apps --path ./apps/podinfo -o json

  # A chart kept in another local checkout referred to by a GitRepository
  flux build helmrelease podinfo --path ./apps \\
	--local-sources GitRepository/flux-system/charts=../charts`,
  });
  bind(cmd, {
    options: (inv) => ({ args: inv.args, flags: inv.command.opts() }),
    engine: async () => (o, deps) => run(o.args, o.flags, deps),
  });
}
