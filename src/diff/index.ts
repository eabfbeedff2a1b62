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
