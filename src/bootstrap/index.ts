// The bootstrap engine for library users (a GitHub Action, a Backstage plugin):
// the orchestration, the sync manifest generators, and the provider steps.
export {
  bootstrap,
  Bootstrapper,
  BOOTSTRAP_STEPS,
  type BootstrapStepName,
  type BootstrapDeps,
  type BootstrapOptions,
  type BootstrapResult,
  type ChangeRequestHooks,
  type ComponentsSpec,
  type PullRequestSpec,
  type SourceSecretSpec,
} from "./engine.js";
export {
  generateSync,
  generateKustomization,
  syncObjects,
  deployKeyTitle,
  deployKeyBaseName,
  expectedRevision,
  normalizeTargetPath,
  manifestsDir,
  type SyncOptions,
} from "./sync.js";
export {
  reconcileRepository,
  deployKeyRegistrar,
  deployTokenIssuer,
  changeRequestHooks,
  parseTeams,
  sshSyncUrl,
  type RepositoryOptions,
} from "./provider.js";
export { bootstrapGit, bootstrapWithProvider, type ProviderSetup } from "./run.js";
