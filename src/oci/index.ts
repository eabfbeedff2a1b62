// The OCI engine's public surface for library users: build, push, pull, tag, list
// and diff Flux OCI artifacts without spawning the CLI.
export {
  pushArtifact,
  pullArtifact,
  tagArtifact,
  listArtifacts,
  diffArtifact,
  fetchManifest,
  parseAnnotations,
  type ClientSettings,
  type PushOptions,
  type PushResult,
  type PullOptions,
  type PullResult,
  type ListOptions,
  type DiffOptions,
  type DiffResult,
  type Manifest,
  type Descriptor,
  type Metadata,
} from "./artifact.js";
export { buildArtifact, writeFileAtomic, type BuildOptions, type BuiltArtifact } from "./build.js";
export { extractTarGz, type ExtractOptions } from "./extract.js";
export { parseCreds, resolveKeychain, type Credentials, type KeychainOptions } from "./auth.js";
export {
  parseArtifactUrl,
  parseRepositoryUrl,
  parseReference,
  referenceString,
  repositoryName,
  type Reference,
} from "./reference.js";
export { RegistryClient, RegistryError, type RegistryClientOptions } from "./registry.js";
export * from "./constants.js";
