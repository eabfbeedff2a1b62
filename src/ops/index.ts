// The generic verbs as a library: every engine takes options plus its dependencies
// (a RestTarget such as createKubeClient()'s result, a Logger, output streams).
export {
  getObjects,
  headersFor,
  rowFor,
  parseStatusSelector,
  statusMatches,
  type GetOptions,
  type GetDeps,
} from "./get.js";
export {
  exportObjects,
  exportObject,
  suspendObjects,
  resumeObjects,
  deleteObject,
  stdinConfirm,
  type ExportOptions,
  type SuspendOptions,
  type ResumeOptions,
  type DeleteOptions,
  type VerbDeps,
} from "./verbs.js";
export {
  reconcileObjects,
  reconcileOne,
  requestReconciliation,
  rfc3339Nano,
  type ReconcileOptions,
  type ReconcileDeps,
} from "./reconcile.js";
export { showEvents, humanDuration, type EventsOptions } from "./events.js";
export {
  showLogs,
  parseLogLine,
  formatLogEntry,
  matchesFilter,
  findControllerPods,
  type LogsOptions,
  type LogEntry,
} from "./logs.js";
export {
  showTree,
  treeKustomization,
  printTree,
  parseObjMetadata,
  type ObjTree,
  type ObjMetadata,
  type TreeOptions,
} from "./tree.js";
export { traceObjects, traceObject, type TraceOptions } from "./trace.js";
export { listKind, getObject, tryGetObject, NoMatchError } from "./common.js";
