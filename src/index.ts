// tsflux as a library: the engine behind the CLI, with types.
export { toYaml, toYamlDocuments } from "./yaml/printer.js";
export { parseDuration, parseDurationNs, formatDurationNs, canonicalDuration } from "./util/duration.js";
export { createLogger, createMemoryLogger, silentLogger, type Logger } from "./output/logger.js";
export { CliError } from "./errors.js";
export { CLI_VERSION, FLUX_VERSION, DEFAULT_DISTRIBUTION_VERSION } from "./version.js";
// Generators of `flux create ...` (pure: options in, Kubernetes objects out).
export * as manifests from "./manifests/index.js";
export {
  gitRepository,
  helmRepository,
  ociRepository,
  bucket,
  helmChart,
  type GitRepositoryOptions,
  type HelmRepositoryOptions,
  type OCIRepositoryOptions,
  type BucketOptions,
  type HelmChartOptions,
} from "./manifests/sources.js";
export {
  kustomization,
  helmRelease,
  type KustomizationOptions,
  type HelmReleaseOptions,
} from "./manifests/kustomization.js";
export { imageRepository, imagePolicy, imageUpdateAutomation } from "./manifests/image.js";
export { alert, alertProvider, receiver } from "./manifests/notification.js";
export { tenantObjects, type TenantOptions } from "./manifests/tenant.js";
export {
  gitSecret,
  helmSecret,
  tlsSecret,
  ociSecret,
  githubAppSecret,
  proxySecret,
  notationSecret,
  receiverSecret,
  dockerConfigJson,
  receiverWebhookPath,
} from "./manifests/secrets.js";
export { generateKeyPair, loadKeyPair, authorizedKey, openSSHPrivateKey, type KeyPair } from "./create/sshkeys.js";
// build/diff kustomization and envsubst.
export * as kustomize from "./kustomize/index.js";
export * as diff from "./diff/index.js";
// HelmReleases rendered with the real helm.
export * as helm from "./helm/index.js";
// install, uninstall and check.
export * as install from "./install/index.js";
// The registry of Flux kinds and the generic verbs over it.
export * as kinds from "./kinds/registry.js";
export * as ops from "./ops/index.js";
export { waitForReady, waitFor, waitForDeletion } from "./kube/wait.js";
export { applyObjects, applyObject, changeLine } from "./kube/apply.js";
// OCI artifacts: build, push, pull, tag, list, diff.
export * as oci from "./oci/index.js";
// bootstrap, git and the GitHub/GitLab providers.
export * as bootstrap from "./bootstrap/index.js";
export { GitHubProvider, GitLabProvider, type GitProvider } from "./providers/index.js";
export { createGitClient, commitAndPush, IsoGitClient, SystemGitClient, type GitClient } from "./git/index.js";
