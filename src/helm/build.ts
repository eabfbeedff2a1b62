// `flux build helmrelease NAME --path DIR`: offline, from the manifests in files.
// The HelmRelease, its source, and the ConfigMaps and Secrets of its valuesFrom are
// read from the files under DIR; the chart is fetched from its repository or read
// from the local tree; the real helm renders it.
import { existsSync } from "node:fs";
import path from "node:path";
import { CliError } from "../errors.js";
import { createTempDir, removeTempDir, type KustomizeCommand } from "../kustomize/runner.js";
import { loadCatalog, type ObjectCatalog } from "./catalog.js";
import { renderHelmRelease, type RenderResult } from "./render.js";
import { HELM_GROUP, type HelmRelease } from "./types.js";

export interface BuildHelmReleaseOptions {
  name: string;
  /** Namespace of the HelmRelease (-n), and of objects in the files that name none. */
  namespace: string;
  /** Directory whose files hold the HelmRelease, its source and its values. */
  path: string;
  /** `Kind/namespace/name` → local directory, for GitRepository and Bucket sources. */
  localSources?: Record<string, string>;
  helm?: string;
  kustomize?: KustomizeCommand;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  signal?: AbortSignal;
  kubeVersion?: string;
  apiVersions?: string[];
}

export interface BuildHelmReleaseResult extends RenderResult {
  helmRelease: HelmRelease;
  catalog: ObjectCatalog;
}

/** The root of the git work tree holding `dir`, else `dir`: where GitRepository sources' paths start. */
export function sourceRootOf(dir: string): string {
  let d = path.resolve(dir);
  for (;;) {
    if (existsSync(path.join(d, ".git"))) return d;
    const up = path.dirname(d);
    if (up === d) return path.resolve(dir);
    d = up;
  }
}

export async function buildHelmRelease(opts: BuildHelmReleaseOptions): Promise<BuildHelmReleaseResult> {
  const dir = path.resolve(opts.path);
  const catalog = await loadCatalog(dir, opts.namespace, opts);
  const hr = catalog.get(HELM_GROUP, "HelmRelease", opts.namespace, opts.name) as HelmRelease | undefined;
  if (!hr)
    throw new CliError(
      `HelmRelease '${opts.namespace}/${opts.name}' not found in the files under ${dir}: check the name, -n/--namespace and --path`,
    );
  const workDir = createTempDir("tsflux-helm-");
  try {
    const result = await renderHelmRelease(hr, catalog, {
      ...opts,
      workDir,
      defaultSourceRoot: sourceRootOf(dir),
    });
    return { ...result, helmRelease: hr, catalog };
  } finally {
    removeTempDir(workDir);
  }
}
