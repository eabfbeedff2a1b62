// `flux version`: the client version, and with a cluster the distribution version
// (the flux namespace's app.kubernetes.io/version label) and each controller's image.
import type { CommandContext } from "../cli/context.js";
import { CLI_VERSION } from "../version.js";
import { toYaml } from "../yaml/printer.js";

export interface VersionInfo {
  flux: string;
  distribution?: string;
  [controller: string]: string | undefined;
}

export async function runVersionCommand(_args: string[], opts: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const info: VersionInfo = { flux: `v${CLI_VERSION}` };
  if (!opts.client) {
    const { serverVersions } = await import("./server.js");
    Object.assign(info, await serverVersions(ctx.globals));
  }
  ctx.io.stdout.write(opts.output === "json" ? JSON.stringify(info, null, 2) + "\n" : toYaml(info));
}
