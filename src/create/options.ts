// The typed options of every `flux create ...` engine entry. commands/create/**
// fill them from the flags; string flags arrive as "" when unset, except where the
// engine must know whether a flag was given at all (typed `string | undefined`).

/** What every create command inherits from `flux create` (and its name argument). */
export interface CreateOptions {
  /** The first positional argument. */
  name: string | undefined;
  export: boolean;
  interval: string;
  /** --interval given on the command line (not its default). */
  intervalSet: boolean;
  label: string[];
}

/** `flux create source ...` adds --fetch-timeout. */
export interface SourceOptions extends CreateOptions {
  fetchTimeout: string;
}

export interface SshKeyOptions {
  sshKeyAlgorithm: string;
  sshRsaBits: string;
  sshEcdsaCurve: string;
}

export interface BasicAuthOptions {
  username: string;
  password: string;
}

/** Signature verification of OCI artifacts and Helm charts. */
export interface VerifyOptions {
  verifyProvider: string;
  verifySecretRef: string;
  verifySubject: string;
  verifyIssuer: string;
}

/** What the Git credentials Secret is made of (create source git, create secret git). */
export interface GitCredentialOptions extends SshKeyOptions, BasicAuthOptions {
  privateKeyFile: string;
  caFile: string;
}

export interface CreateSourceGitOptions extends SourceOptions, GitCredentialOptions {
  url: string;
  branch: string;
  tag: string;
  tagSemver: string;
  refName: string;
  commit: string;
  provider: string | undefined;
  secretRef: string;
  proxySecretRef: string;
  recurseSubmodules: boolean;
  silent: boolean;
  ignorePaths: string[];
  sparseCheckoutPaths: string[];
}

export interface CreateSourceHelmOptions extends SourceOptions, BasicAuthOptions {
  url: string;
  certFile: string;
  keyFile: string;
  caFile: string;
  secretRef: string;
  ociProvider: string;
  passCredentials: boolean;
}

export interface CreateSourceOCIOptions extends SourceOptions, VerifyOptions {
  url: string;
  tag: string;
  tagSemver: string;
  digest: string;
  provider: string | undefined;
  secretRef: string;
  serviceAccount: string;
  certRef: string;
  proxySecretRef: string;
  ignorePaths: string[];
  insecure: boolean;
  /** `<media-type>:<operation>`; "" when not given. */
  layerSelector: string;
}

export interface CreateSourceBucketOptions extends SourceOptions {
  provider: string | undefined;
  bucketName: string;
  endpoint: string;
  accessKey: string;
  secretKey: string;
  region: string;
  insecure: boolean;
  secretRef: string;
  proxySecretRef: string;
  ignorePaths: string[];
}

export interface CreateSourceChartOptions extends SourceOptions, VerifyOptions {
  chart: string;
  chartVersion: string;
  source: string;
  reconcileStrategy: string;
}

export interface CreateKustomizationOptions extends CreateOptions {
  source: string | undefined;
  path: string | undefined;
  prune: boolean;
  wait: boolean;
  healthCheck: string[];
  healthCheckTimeout: string;
  /** Deprecated and ignored; given means a deprecation notice. */
  validation: string | undefined;
  dependsOn: string[];
  serviceAccount: string;
  decryptionProvider: string;
  decryptionSecret: string;
  targetNamespace: string;
  kubeconfigSecretRef: string;
  retryInterval: string;
}

export interface CreateHelmReleaseOptions extends CreateOptions {
  releaseName: string;
  source: string | undefined;
  chart: string;
  chartVersion: string;
  chartRef: string;
  dependsOn: string[];
  targetNamespace: string;
  storageNamespace: string;
  createTargetNamespace: boolean;
  serviceAccount: string;
  reconcileStrategy: string | undefined;
  chartInterval: string;
  values: string[];
  valuesFrom: string[];
  crds: string;
  kubeconfigSecretRef: string;
}

export interface CreateImageRepositoryOptions extends CreateOptions {
  image: string;
  secretRef: string;
  certRef: string;
  scanTimeout: string;
}

export interface CreateImagePolicyOptions extends CreateOptions {
  imageRef: string;
  selectSemver: string;
  selectAlpha: string;
  selectNumeric: string;
  filterRegex: string;
  filterExtract: string;
  reflectDigest: string;
}

export interface CreateImageUpdateOptions extends CreateOptions {
  gitRepoRef: string;
  gitRepoNamespace: string;
  gitRepoPath: string;
  checkoutBranch: string;
  pushBranch: string;
  commitTemplate: string;
  authorName: string;
  authorEmail: string;
  signingKeySecret: string;
  signingKeyType: string;
}

export interface CreateAlertOptions extends CreateOptions {
  providerRef: string;
  eventSeverity: string;
  eventSource: string[];
}

export interface CreateAlertProviderOptions extends CreateOptions {
  type: string;
  channel: string;
  username: string;
  address: string;
  secretRef: string;
}

export interface CreateReceiverOptions extends CreateOptions {
  type: string | undefined;
  secretRef: string;
  event: string[];
  resource: string[];
}

export interface CreateTenantOptions extends CreateOptions {
  withNamespace: string[] | undefined;
  withServiceAccount: string;
  clusterRole: string | undefined;
  skipNamespace: boolean;
}

export interface CreateSecretGitOptions extends CreateOptions, GitCredentialOptions {
  url: string;
  caCrtFile: string;
  bearerToken: string;
}

/** TLS files of `create secret helm|tls`; the deprecated ones are undefined unless given. */
export interface TlsFileOptions {
  tlsCrtFile: string;
  tlsKeyFile: string;
  caCrtFile: string;
  certFile: string | undefined;
  keyFile: string | undefined;
  caFile: string | undefined;
}

export interface CreateSecretHelmOptions extends CreateOptions, BasicAuthOptions, TlsFileOptions {}

export interface CreateSecretTLSOptions extends CreateOptions, TlsFileOptions {}

export interface CreateSecretOCIOptions extends CreateOptions, BasicAuthOptions {
  url: string;
}

export interface CreateSecretGitHubAppOptions extends CreateOptions {
  appId: string;
  appInstallationId: string;
  appInstallationOwner: string;
  appPrivateKey: string;
  appBaseUrl: string;
}

export interface CreateSecretProxyOptions extends CreateOptions, BasicAuthOptions {
  address: string;
}

export interface CreateSecretNotationOptions extends CreateOptions {
  caCertFile: string[];
  trustPolicyFile: string;
}

export interface CreateSecretReceiverOptions extends CreateOptions {
  type: string | undefined;
  /** The webhook token (this command's own --token shadows the API server's). */
  token: string;
  hostname: string;
  emailClaim: string;
  audienceClaim: string;
}
