// Public API of the kustomize engine (re-exported by the package entry point).
export {
  buildKustomization,
  kustomizationFor,
  loadVariables,
  objectsToYaml,
  readKustomizationFile,
  type BuildOptions,
  type BuildResult,
  type FluxKustomization,
} from "./build.js";
export { kubeReader, type KubeObj, type ObjectReader } from "./cluster.js";
export { evalEnvsubst, substitute, isValidVarName, EnvsubstError, type Mapping } from "./envsubst.js";
export { applyFluxSpec, scanResources, generatedKustomization, type FluxKustomizationSpec } from "./generator.js";
export { findKustomize, runKustomize, type KustomizeCommand } from "./runner.js";
export { maskSopsData, SOPS_MASK } from "./sops.js";
