// Public API of the diff engine (re-exported by the package entry point).
export {
  diffKustomization,
  diffObjects,
  type DiffAction,
  type DiffOptions,
  type DiffReport,
  type ObjectDiff,
} from "./kustomization.js";
export { compareValues, dotPath, pointerPath, type FieldChange, type PathElement } from "./compare.js";
export { diffLines, unifiedDiff, type LineOp } from "./lines.js";
export { renderHuman, renderJson, renderMarkdown, renderChanges } from "./render.js";
export { restDryRunner, type DryRunner } from "../kube/dryrun.js";
export { mapConcurrent } from "../kube/rest.js";
export {
  diffHelmRelease,
  decodeReleaseManifest,
  type DiffHelmReleaseOptions,
  type HelmReleaseDiffReport,
} from "./helmrelease.js";
export { buildFleet, type BuiltUnit, type FleetOptions } from "./fleet.js";
export {
  diffRefs,
  compareObjects,
  type DiffRefsOptions,
  type RefsReport,
  type RefsUnitDiff,
  type RefsObjectDiff,
} from "./refs.js";
export { renderRefsHuman, renderRefsJson, renderRefsMarkdown } from "./refs-render.js";
