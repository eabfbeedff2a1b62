// The latest API version of each Flux kind for the Flux minor versions upstream flux
// v2.9.5's `migrate` supports (cmd/flux/migrate.go latestAPIVersions): 2.7 and later
// serve every kind at the version the registry uses; 2.6 had the image APIs at v1beta2
// and no source-watcher.
import { mustKind } from "./registry.js";

/** "<group>/<Kind>" → version. */
export type LatestVersions = ReadonlyMap<string, string>;

export function groupKindKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}

const MIGRATED_KINDS = [
  "Bucket",
  "GitRepository",
  "OCIRepository",
  "HelmRepository",
  "HelmChart",
  "ExternalArtifact",
  "Kustomization",
  "HelmRelease",
  "Receiver",
  "Alert",
  "Provider",
  "ImageRepository",
  "ImagePolicy",
  "ImageUpdateAutomation",
  "ArtifactGenerator",
];

function latestOf(kinds: string[], override: Record<string, string> = {}): LatestVersions {
  return new Map(
    kinds.map((kind) => {
      const k = mustKind(kind);
      return [groupKindKey(k.group, k.kind), override[kind] ?? k.version];
    }),
  );
}

const FLUX27 = latestOf(MIGRATED_KINDS);
const FLUX26 = latestOf(
  MIGRATED_KINDS.filter((k) => k !== "ArtifactGenerator"),
  { ImageRepository: "v1beta2", ImagePolicy: "v1beta2", ImageUpdateAutomation: "v1beta2" },
);

/** Newest first, as upstream lists them; the first is the CLI's own. */
interface MigrateVersion {
  fluxVersion: string;
  latest: LatestVersions;
}
/** Newest first: `flux migrate` without --version uses the first. */
export const MIGRATE_VERSIONS: readonly [MigrateVersion, ...MigrateVersion[]] = [
  { fluxVersion: "2.9", latest: FLUX27 },
  { fluxVersion: "2.8", latest: FLUX27 },
  { fluxVersion: "2.7", latest: FLUX27 },
  { fluxVersion: "2.6", latest: FLUX26 },
];
