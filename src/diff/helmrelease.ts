// `flux diff helmrelease NAME --path DIR`: the HelmRelease rendered from files
// (src/helm), then a server-side dry-run of every object compared with the live
// one, as diff kustomization does; objects of the deployed release that the new
// rendering no longer has are reported deleted (helm would remove them).
import { gunzipSync } from "node:zlib";
import { buildHelmRelease, type BuildHelmReleaseOptions } from "../helm/build.js";
import { objectsInYaml } from "../helm/catalog.js";
import type { ReleaseInfo } from "../helm/render.js";
import type { DryRunner } from "../kube/dryrun.js";
import { mapConcurrent } from "../kube/rest.js";
import type { KubeObj as Obj } from "../kustomize/cluster.js";
import { diffObjects, subjectOf, type DiffReport, type ObjectDiff } from "./kustomization.js";
import { apiGroupOf } from "../kube/api-version.js";

export interface DiffHelmReleaseOptions extends BuildHelmReleaseOptions {
  dryRunner: DryRunner;
  /** The manifest of the release helm last deployed (storage namespace, release name), if any. */
  deployedManifest?: (storageNamespace: string, releaseName: string) => Promise<string | undefined>;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface HelmReleaseDiffReport extends DiffReport {
  release: ReleaseInfo;
}

/** The manifest inside a helm release Secret's `release` value (base64 of gzipped JSON). */
export function decodeReleaseManifest(release: string): string {
  let data = Buffer.from(release, "base64");
  if (data[0] === 0x1f && data[1] === 0x8b) data = gunzipSync(data);
  const parsed = JSON.parse(data.toString("utf8")) as { manifest?: string };
  return parsed.manifest ?? "";
}

/** Namespaced objects the chart leaves without a namespace go to the release namespace, as helm installs them. */
async function defaultNamespaces(objects: Obj[], namespace: string, runner: DryRunner): Promise<void> {
  await mapConcurrent(objects, 8, async (o) => {
    if (o.metadata?.namespace) return;
    if (runner.namespaced && (await runner.namespaced(o)) === false) return;
    (o.metadata ??= {}).namespace = namespace;
  });
}

export async function diffHelmRelease(opts: DiffHelmReleaseOptions): Promise<HelmReleaseDiffReport> {
  const built = await buildHelmRelease(opts);
  const objects = built.objects;
  await defaultNamespaces(objects, built.release.namespace, opts.dryRunner);
  const owner = {
    apiVersion: String(built.helmRelease.apiVersion),
    kind: "HelmRelease",
    metadata: {
      name: built.helmRelease.metadata?.name ?? "",
      namespace: built.helmRelease.metadata?.namespace || opts.namespace,
    },
  };
  const report = await diffObjects(owner, objects, opts);
  report.kind = "HelmRelease";

  const manifest = await opts.deployedManifest?.(built.release.storageNamespace, built.release.name);
  if (manifest && report.errors.length === 0) {
    const previous = await objectsInYaml(manifest);
    await defaultNamespaces(previous, built.release.namespace, opts.dryRunner);
    const key = (o: {
      apiVersion?: string | undefined;
      kind?: string | undefined;
      namespace?: string | undefined;
      name?: string | undefined;
    }) => `${apiGroupOf(o.apiVersion)}/${o.kind}/${o.namespace ?? ""}/${o.name}`;
    const current = new Set(
      objects.map((o) => key({ ...o, namespace: o.metadata?.namespace, name: o.metadata?.name })),
    );
    const deleted: ObjectDiff[] = [];
    for (const o of previous) {
      const namespace = o.metadata?.namespace || undefined;
      const name = o.metadata?.name ?? "";
      if (current.has(key({ apiVersion: o.apiVersion, kind: o.kind, namespace, name }))) continue;
      const kind = o.kind ?? "";
      deleted.push({
        action: "deleted",
        apiVersion: o.apiVersion ?? "",
        kind,
        namespace,
        name,
        subject: subjectOf(kind, namespace, name),
      });
    }
    report.objects.push(...deleted);
    if (deleted.length > 0) report.changed = true;
  }
  return { ...report, release: built.release };
}
