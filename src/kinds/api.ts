// Each Flux kind's API group, served version and resource (plural; every Flux kind is
// namespaced). The registry (registry.ts) builds its entries on these; the manifest
// generators and src/kinds/resources.ts read them here, so `create … --export` does
// not initialise the whole registry (its columns, printers and closures: about 0.25 ms
// of start-up on Node 24, issue 17).
const SOURCE = "source.toolkit.fluxcd.io";

export const FLUX_APIS = {
  OCIRepository: { group: SOURCE, version: "v1", plural: "ocirepositories" },
  Bucket: { group: SOURCE, version: "v1", plural: "buckets" },
  GitRepository: { group: SOURCE, version: "v1", plural: "gitrepositories" },
  HelmRepository: { group: SOURCE, version: "v1", plural: "helmrepositories" },
  HelmChart: { group: SOURCE, version: "v1", plural: "helmcharts" },
  ImageRepository: { group: "image.toolkit.fluxcd.io", version: "v1", plural: "imagerepositories" },
  ImagePolicy: { group: "image.toolkit.fluxcd.io", version: "v1", plural: "imagepolicies" },
  ImageUpdateAutomation: { group: "image.toolkit.fluxcd.io", version: "v1", plural: "imageupdateautomations" },
  HelmRelease: { group: "helm.toolkit.fluxcd.io", version: "v2", plural: "helmreleases" },
  Kustomization: { group: "kustomize.toolkit.fluxcd.io", version: "v1", plural: "kustomizations" },
  Receiver: { group: "notification.toolkit.fluxcd.io", version: "v1", plural: "receivers" },
  Provider: { group: "notification.toolkit.fluxcd.io", version: "v1beta3", plural: "providers" },
  Alert: { group: "notification.toolkit.fluxcd.io", version: "v1beta3", plural: "alerts" },
  ArtifactGenerator: { group: "source.extensions.fluxcd.io", version: "v1beta1", plural: "artifactgenerators" },
  ExternalArtifact: { group: SOURCE, version: "v1", plural: "externalartifacts" },
} as const satisfies Record<string, { group: string; version: string; plural: string }>;

const byLowerKind = new Map(Object.entries(FLUX_APIS).map(([kind, api]) => [kind.toLowerCase(), api]));

/** The apiVersion of a Flux kind (case-insensitive); throws for a kind that is not one. */
export function fluxApiVersion(kind: string): string {
  const api = byLowerKind.get(kind.toLowerCase());
  if (!api) throw new Error(`unknown Flux kind ${kind}`);
  return `${api.group}/${api.version}`;
}

/** The API of the Flux kind named exactly `kind`; undefined for any other kind. */
export function fluxApi(kind: string): { group: string; version: string; plural: string } | undefined {
  return Object.hasOwn(FLUX_APIS, kind) ? FLUX_APIS[kind as keyof typeof FLUX_APIS] : undefined;
}
