// Public API of the helm engine (re-exported by the package entry point).
export { findHelm, runHelm, HELM_VERSION, HELM_NOT_FOUND, toolsCache } from "./binary.js";
export { buildHelmRelease, sourceRootOf, type BuildHelmReleaseOptions, type BuildHelmReleaseResult } from "./build.js";
export { loadCatalog, ObjectCatalog, objectsInYaml, objectKey } from "./catalog.js";
export { resolveChart, selectVersion, type ResolvedChart, type ChartResolveOptions } from "./chart.js";
export {
  renderHelmRelease,
  releaseNameOf,
  shortenName,
  type RenderOptions,
  type RenderResult,
  type ReleaseInfo,
} from "./render.js";
export { mergeMaps, replacePathValue, releaseValues, type Values } from "./values.js";
export { isHelmRelease, HELM_GROUP, type HelmRelease } from "./types.js";
