// Where the release bundle comes from: --manifests DIR, else the per-version cache,
// else an HTTPS download of the release's manifests.tar.gz (verified, then cached).
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { CliError } from "../errors.js";
import { fetchBundle, type DownloadOptions } from "./download.js";

export interface BundleSource {
  /** --manifests: a local bundle or kustomization directory. */
  manifestsPath?: string | undefined;
  download?: DownloadOptions;
}

export async function resolveBundle(version: string, src: BundleSource): Promise<string> {
  if (src.manifestsPath) {
    const dir = path.resolve(src.manifestsPath);
    if (!existsSync(dir)) throw new CliError(`--manifests ${src.manifestsPath}: no such directory`);
    if (!statSync(dir).isDirectory()) {
      throw new CliError(
        `--manifests ${src.manifestsPath}: not a directory (give the directory of a bundle or kustomization)`,
      );
    }
    return dir;
  }
  return await fetchBundle(version, src.download);
}
