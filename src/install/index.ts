// The install / uninstall / check engine as a library (re-exported by src/index.ts as
// `install`). Everything takes options plus dependencies; nothing exits the process.
export {
  defaultInstallOptions,
  validateComponents,
  validateRegistryCreds,
  validateNamespace,
  resolveVersion,
  compatibleVersion,
  DEFAULT_COMPONENTS,
  EXTRA_COMPONENTS,
  ALL_COMPONENTS,
  DEFAULT_REGISTRY,
  RELEASES_URL,
  type InstallOptions,
} from "./options.js";
export { renderInstall, kustomizationYaml, genWarning, type RenderOptions } from "./render.js";
export { findKustomize, kustomizeBuild, type KustomizeCommand } from "./kustomize.js";
export {
  fetchBundle,
  cachedBundle,
  defaultCacheDir,
  manifestsUrl,
  checksumsUrl,
  type DownloadOptions,
} from "./download.js";
export { resolveBundle, type BundleSource } from "./bundle.js";
export { readTarGz, readTar, extractEntries, TarError, type TarEntry } from "./tar.js";
export {
  install,
  generateInstallManifests,
  parseManifests,
  sortForApply,
  imagePullSecret,
  type InstallRequest,
  type InstallDeps,
} from "./run.js";
export { uninstall, FINALIZER_KINDS, type UninstallOptions, type UninstallDeps } from "./uninstall.js";
export {
  getFluxClusterInfo,
  distribution,
  deploymentStatus,
  crdStatus,
  assessDeployments,
  type FluxClusterInfo,
  type KStatus,
} from "./cluster.js";
export { check, KUBERNETES_CONSTRAINTS, type CheckOptions, type CheckDeps } from "../check/run.js";
export { serverVersions, splitImage } from "../version/server.js";
