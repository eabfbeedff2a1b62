// The plugin catalog's documents as upstream flux v2.9.5 defines them (pkg/plugin):
// the catalog (catalog.yaml), one manifest per plugin (<name>.yaml) and the receipt
// written next to an installed binary (flux-<name>.yaml).

/** The schema version of catalogs and manifests. */
export const PLUGIN_API_VERSION = "cli.fluxcd.io/v1beta1";
export const PLUGIN_KIND = "Plugin";
export const CATALOG_KIND = "PluginCatalog";

export interface PluginPlatform {
  /** GOOS spelling: linux, darwin, windows. */
  os: string;
  /** GOARCH spelling: amd64, arm64. */
  arch: string;
  /** The archive or binary to download. */
  url: string;
  /** "sha256:<hex>" of the downloaded file. */
  checksum: string;
  /** A path inside the archive, matched exactly; the manifest's bin by base name otherwise. */
  extractPath?: string;
}

// Catalog and manifest documents come from the network: the fields the code checks for
// absence are optional here (Go reads them as zero values).
export interface PluginVersion {
  version: string;
  platforms?: PluginPlatform[];
}

export interface PluginManifest {
  apiVersion: string;
  kind: string;
  name: string;
  description: string;
  homepage?: string;
  source?: string;
  /** The binary's name in archives and in the plugin directory ("flux-operator"); checked before use. */
  bin?: unknown;
  /** Newest first. */
  versions?: PluginVersion[];
}

export interface CatalogEntry {
  name?: string;
  description?: string;
  homepage: string;
  source: string;
  license: string;
}

export interface PluginCatalog {
  apiVersion: string;
  kind: string;
  plugins?: CatalogEntry[];
}

export interface PluginReceipt {
  name: string;
  version: string;
  /** RFC 3339, UTC. */
  installedAt: string;
  platform: PluginPlatform;
}
