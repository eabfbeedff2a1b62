// `flux version`: the client version, and with a cluster the distribution version
// (see ./server.ts) and each controller's image tag.
import type { Deps } from "../deps.js";
import { CLI_VERSION } from "../version.js";
import { DATA_FORMATS, parseOutputFormat, printJson, printYaml } from "../output/printers.js";

export interface VersionInfo {
  flux: string;
  distribution?: string;
  [controller: string]: string | undefined;
}

/**
 * Upstream's output: YAML in struct order (flux, distribution, then the controllers
 * sorted), JSON from a Go map (all keys sorted, two-space indent).
 */
export function formatVersionInfo(info: VersionInfo, output: "json" | "yaml"): string {
  const { flux, distribution, ...controllers } = info;
  if (output === "json") {
    const all: Record<string, string> = { flux };
    if (distribution) all.distribution = distribution;
    for (const [k, v] of Object.entries(controllers)) if (v !== undefined) all[k] = v;
    const sorted = Object.fromEntries(
      Object.keys(all)
        .sort()
        .map((k) => [k, all[k]]),
    );
    return printJson(sorted);
  }
  let out = printYaml({ flux });
  if (distribution) out += printYaml({ distribution });
  const rest = Object.fromEntries(Object.entries(controllers).filter(([, v]) => v !== undefined));
  if (Object.keys(rest).length > 0) out += printYaml(rest);
  return out;
}

export interface VersionOptions {
  /** Only the client's version: no cluster needed. */
  client: boolean;
  output: string;
}

export async function runVersion(options: VersionOptions, deps: Deps): Promise<void> {
  // upstream's check and wording, the one message of every -o
  const output = parseOutputFormat(options.output, DATA_FORMATS, "yaml");
  const info: VersionInfo = { flux: `v${CLI_VERSION}` };
  if (!options.client) {
    // Lazy: `version --client` never loads the cluster client.
    const { serverVersions } = await import("./server.js");
    Object.assign(info, await serverVersions(deps.globals));
  }
  deps.io.stdout.write(formatVersionInfo(info, output));
}
