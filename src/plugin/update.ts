// Whether an installed plugin has a newer version in the catalog (upstream flux v2.9.5's
// internal/plugin/update.go): plugins without a receipt were put there by hand and are
// skipped; the catalog's newest version is compared with the receipt's.
import { resolvePlatform, resolveVersion, type CatalogClient } from "./catalog.js";
import { readReceipt } from "./install.js";
import type { PluginManifest, PluginPlatform, PluginVersion } from "./types.js";

export const SKIP_MANUAL = "manually installed";
export const SKIP_UP_TO_DATE = "already up to date";

export type UpdateCheck =
  | { name: string; skipped: typeof SKIP_MANUAL }
  | { name: string; skipped: typeof SKIP_UP_TO_DATE; fromVersion: string }
  | {
      name: string;
      skipped?: undefined;
      fromVersion: string;
      toVersion: string;
      manifest: PluginManifest;
      version: PluginVersion;
      platform: PluginPlatform;
    };

export async function checkUpdate(
  dir: string,
  name: string,
  catalog: CatalogClient,
  os: string,
  arch: string,
): Promise<UpdateCheck> {
  const receipt = readReceipt(dir, name);
  if (!receipt) return { name, skipped: SKIP_MANUAL };
  const manifest = await catalog.fetchManifest(name);
  const latest = resolveVersion(manifest, "");
  if (receipt.version === latest.version) return { name, skipped: SKIP_UP_TO_DATE, fromVersion: receipt.version };
  const platform = resolvePlatform(latest, os, arch);
  return { name, fromVersion: receipt.version, toVersion: latest.version, manifest, version: latest, platform };
}
