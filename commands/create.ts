// flux create ...: flags with upstream's names, defaults and help texts; the engines
// live in src/create (loaded only when a command runs).
import { Option, type Command } from "commander";
import { lazyAction, type Run } from "../src/cli/action.js";
import { boolFlag, durationFlag, sliceFlag } from "../src/cli/flags.js";

type Loader = () => Promise<Run>;

/** Runs with the create group's inherited flags (--export, --interval, --label) merged in. */
function run(cmd: Command, load: Loader): Command {
  cmd.argument("[name]").allowExcessArguments(true);
  return lazyAction(cmd, load, (self, ctx) => {
    const opts: Record<string, unknown> = {
      ...self.optsWithGlobals(),
      ...self.opts(),
      intervalSet: self.getOptionValueSourceWithGlobals("interval") === "cli",
    };
    // `--token` of `create secret receiver` is the webhook token, not the API server's.
    if (self.options.some((o) => o.long === "--token")) {
      opts.token = ctx.globals.token;
      ctx.globals.token = undefined;
    }
    return opts;
  });
}

const sources = () => import("../src/create/sources.js");
const resources = () => import("../src/create/resources.js");
const secrets = () => import("../src/create/secrets.js");

/**
 * A string flag; pflag custom Value flags are declared the same way, shown as
 * `--flag type` or `--flag <a|b|c>` with the allowed values (checked by the engine).
 */
function str(cmd: Command, flags: string, description: string, defaultValue?: string): Command {
  const o = new Option(flags, description);
  if (defaultValue !== undefined) o.default(defaultValue);
  return cmd.addOption(o);
}

/** upstream's Long text and Examples in the help. */
function doc(cmd: Command, long: string, examples: string): Command {
  return cmd.description(long).addHelpText("after", `\nExamples:\n${examples}`);
}

function sshFlags(cmd: Command): void {
  str(cmd, "--ssh-key-algorithm <rsa|ecdsa|ed25519>", "SSH public key algorithm", "ecdsa");
  str(cmd, "--ssh-rsa-bits <rsaKeyBits>", "SSH RSA public key bit size (multiplies of 8, min 1024)", "2048");
  str(cmd, "--ssh-ecdsa-curve <p256|p384|p521>", "SSH ECDSA public key curve", "p384");
}

function basicAuthFlags(cmd: Command): void {
  str(cmd, "-u, --username <string>", "basic authentication username");
  str(cmd, "-p, --password <string>", "basic authentication password");
}

function proxySecretRefFlag(cmd: Command): void {
  str(
    cmd,
    "--proxy-secret-ref <string>",
    "the name of an existing secret containing the proxy address and credentials",
  );
}

/** Signature verification of OCI artifacts and Helm charts. */
function verifyFlags(cmd: Command): void {
  str(
    cmd,
    "--verify-provider <sourceOCIVerifyProvider>",
    "the OCI verify provider name to use for signature verification, available options are: (cosign)",
  );
  str(cmd, "--verify-secret-ref <string>", "the name of a secret to use for signature verification");
  str(cmd, "--verify-subject <string>", "regular expression to use for the OIDC subject during signature verification");
  str(cmd, "--verify-issuer <string>", "regular expression to use for the OIDC issuer during signature verification");
}

/** TLS files of `create secret helm|tls`, with the deprecated --cert-file/--key-file/--ca-file hidden. */
function tlsFileFlags(cmd: Command): void {
  str(cmd, "--tls-crt-file <string>", "TLS authentication cert file path");
  str(cmd, "--tls-key-file <string>", "TLS authentication key file path");
  str(cmd, "--ca-crt-file <string>", "TLS authentication CA file path");
  for (const f of ["--cert-file <string>", "--key-file <string>", "--ca-file <string>"]) {
    cmd.addOption(new Option(f, "deprecated").hideHelp());
  }
}

function registerSources(create: Command): void {
  const source = create.command("source").description("Create or update sources");
  durationFlag(
    source,
    "--fetch-timeout <duration>",
    "set a timeout for fetch operations performed by source-controller (e.g. 'git clone' or 'helm repo update')",
  );

  const git = source
    .command("git")
    .description("Create or update a GitRepository source")
    .summary("Create or update a GitRepository source");
  doc(
    git.summary("Create or update a GitRepository source"),
    `The create source git command generates a GitRepository resource and waits for it to sync.
For Git over SSH, host and SSH keys are automatically generated and stored in a Kubernetes secret.
For private Git repositories, the basic authentication credentials are stored in a Kubernetes secret.`,
    `  # Create a source from a public Git repository master branch
  flux create source git podinfo \\
    --url=https://github.com/stefanprodan/podinfo \\
    --branch=master

  # Create a source for a Git repository pinned to specific git tag
  flux create source git podinfo \\
    --url=https://github.com/stefanprodan/podinfo \\
    --tag="3.2.3"

  # Create a source from a public Git repository tag that matches a semver range
  flux create source git podinfo \\
    --url=https://github.com/stefanprodan/podinfo \\
    --tag-semver=">=3.2.0 <3.3.0"

  # Create a source for a Git repository using SSH authentication
  flux create source git podinfo \\
    --url=ssh://git@github.com/stefanprodan/podinfo \\
    --branch=master

  # Create a source for a Git repository using SSH authentication and an
  # ECDSA P-521 curve public key
  flux create source git podinfo \\
    --url=ssh://git@github.com/stefanprodan/podinfo \\
    --branch=master \\
    --ssh-key-algorithm=ecdsa \\
    --ssh-ecdsa-curve=p521

  # Create a source for a Git repository using SSH authentication and a
  #	passwordless private key from file
  # The public SSH host key will still be gathered from the host
  flux create source git podinfo \\
    --url=ssh://git@github.com/stefanprodan/podinfo \\
    --branch=master \\
    --private-key-file=./private.key

  # Create a source for a Git repository using basic authentication
  flux create source git podinfo \\
    --url=https://github.com/stefanprodan/podinfo \\
    --branch=master \\
    --username=username \\
    --password=password`,
  );
  str(git, "--url <string>", "git address, e.g. ssh://git@host/org/repository");
  str(git, "--branch <string>", "git branch");
  str(git, "--tag <string>", "git tag");
  str(git, "--tag-semver <string>", "git tag semver range");
  str(git, "--ref-name <string>", " git reference name");
  str(git, "--commit <string>", "git commit");
  basicAuthFlags(git);
  str(git, "--provider <generic|azure|github>", "the Git provider name");
  sshFlags(git);
  str(
    git,
    "--secret-ref <string>",
    "the name of an existing secret containing SSH or basic credentials or github app authentication",
  );
  proxySecretRefFlag(git);
  str(git, "--ca-file <string>", "path to TLS CA file used for validating self-signed certificates");
  str(
    git,
    "--private-key-file <string>",
    "path to a passwordless private key file used for authenticating to the Git SSH server",
  );
  boolFlag(
    git,
    "--recurse-submodules",
    "when enabled, configures the GitRepository source to initialize and include Git submodules in the artifact it produces",
  );
  boolFlag(git, "-s, --silent", "assumes the deploy key is already setup, skips confirmation");
  sliceFlag(
    git,
    "--ignore-paths <strings>",
    "set paths to ignore in git resource (can specify multiple paths with commas: path1,path2)",
  );
  sliceFlag(
    git,
    "--sparse-checkout-paths <strings>",
    "set paths to sparse checkout in git resource (can specify multiple paths with commas: path1,path2)",
  );
  run(git, async () => (await sources()).runCreateSourceGit);

  const helm = source.command("helm").description("Create or update a HelmRepository source");
  doc(
    helm.summary("Create or update a HelmRepository source"),
    `The create source helm command generates a HelmRepository resource and waits for it to fetch the index.
For private Helm repositories, the basic authentication credentials are stored in a Kubernetes secret.`,
    `  # Create a source for an HTTPS public Helm repository
  flux create source helm podinfo \\
    --url=https://stefanprodan.github.io/podinfo \\
    --interval=10m

  # Create a source for an HTTPS Helm repository using basic authentication
  flux create source helm podinfo \\
    --url=https://stefanprodan.github.io/podinfo \\
    --username=username \\
    --password=password

  # Create a source for an OCI Helm repository
  flux create source helm podinfo \\
    --url=oci://ghcr.io/stefanprodan/charts/podinfo \\
    --username=username \\
    --password=password`,
  );
  str(helm, "--url <string>", "Helm repository address");
  basicAuthFlags(helm);
  str(helm, "--cert-file <string>", "TLS authentication cert file path");
  str(helm, "--key-file <string>", "TLS authentication key file path");
  str(helm, "--ca-file <string>", "TLS authentication CA file path");
  str(
    helm,
    "--secret-ref <string>",
    "the name of an existing secret containing TLS, basic auth or docker-config credentials",
  );
  str(helm, "--oci-provider <string>", "OCI provider for authentication");
  boolFlag(helm, "--pass-credentials", "pass credentials to all domains");
  run(helm, async () => (await sources()).runCreateSourceHelm);

  const oci = source.command("oci").description("Create or update an OCIRepository");
  doc(
    oci.summary("Create or update an OCIRepository"),
    `The create source oci command generates an OCIRepository resource and waits for it to be ready.`,
    `  # Create an OCIRepository for a public container image
  flux create source oci podinfo \\
    --url=oci://ghcr.io/stefanprodan/manifests/podinfo \\
    --tag=6.1.6 \\
    --interval=10m`,
  );
  str(oci, "--url <string>", "the OCI repository URL");
  str(oci, "--tag <string>", "the OCI artifact tag");
  str(oci, "--tag-semver <string>", "the OCI artifact tag semver range");
  str(oci, "--digest <string>", "the OCI artifact digest");
  str(oci, "--provider <generic|aws|azure|gcp>", "the OCI provider name", "generic");
  str(
    oci,
    "--secret-ref <string>",
    "the name of the Kubernetes image pull secret (type 'kubernetes.io/dockerconfigjson')",
  );
  str(
    oci,
    "--service-account <string>",
    "the name of the Kubernetes service account that refers to an image pull secret",
  );
  str(oci, "--cert-ref <string>", "the name of a secret to use for TLS certificates");
  proxySecretRefFlag(oci);
  verifyFlags(oci);
  sliceFlag(
    oci,
    "--ignore-paths <strings>",
    "set paths to ignore resources (can specify multiple paths with commas: path1,path2)",
  );
  boolFlag(oci, "--insecure", "for when connecting to a non-TLS registries over plain HTTP");
  run(oci, async () => (await sources()).runCreateSourceOCI);

  const bucket = source.command("bucket").description("Create or update a Bucket source");
  doc(
    bucket.summary("Create or update a Bucket source"),
    `The create source bucket command generates a Bucket resource and waits for it to be downloaded.
For Buckets with static authentication, the credentials are stored in a Kubernetes secret.`,
    `  # Create a source for a Bucket using static authentication
  flux create source bucket podinfo \\
	--bucket-name=podinfo \\
    --endpoint=minio.minio.svc.cluster.local:9000 \\
	--insecure=true \\
	--access-key=myaccesskey \\
	--secret-key=mysecretkey \\
    --interval=10m

  # Create a source for an Amazon S3 Bucket using IAM authentication
  flux create source bucket podinfo \\
	--bucket-name=podinfo \\
	--provider=aws \\
    --endpoint=s3.amazonaws.com \\
	--region=us-east-1 \\
    --interval=10m`,
  );
  str(bucket, "--provider <generic|aws|azure|gcp>", "the S3 compatible storage provider name", "generic");
  str(bucket, "--bucket-name <string>", "the bucket name");
  str(bucket, "--endpoint <string>", "the bucket endpoint address");
  str(bucket, "--access-key <string>", "the bucket access key");
  str(bucket, "--secret-key <string>", "the bucket secret key");
  str(bucket, "--region <string>", "the bucket region");
  boolFlag(bucket, "--insecure", "for when connecting to a non-TLS S3 HTTP endpoint");
  str(bucket, "--secret-ref <string>", "the name of an existing secret containing credentials");
  proxySecretRefFlag(bucket);
  sliceFlag(
    bucket,
    "--ignore-paths <strings>",
    "set paths to ignore in bucket resource (can specify multiple paths with commas: path1,path2)",
  );
  run(bucket, async () => (await sources()).runCreateSourceBucket);

  const chart = source.command("chart").description("Create or update a HelmChart source");
  doc(
    chart.summary("Create or update a HelmChart source"),
    `The create source chart command generates a HelmChart resource and waits for the chart to be ready.`,
    `  # Create a source for a chart residing in a HelmRepository
  flux create source chart podinfo \\
    --source=HelmRepository/podinfo \\
    --chart=podinfo \\
    --chart-version=6.x

  # Create a source for a chart residing in a Git repository
  flux create source chart podinfo \\
    --source=GitRepository/podinfo \\
    --chart=./charts/podinfo`,
  );
  str(chart, "--chart <string>", "Helm chart name or path");
  str(
    chart,
    "--chart-version <string>",
    "Helm chart version, accepts a semver range (ignored for charts from GitRepository sources)",
  );
  str(
    chart,
    "--source <helmChartSource>",
    "source that contains the chart in the format '<kind>/<name>', where kind must be one of: (HelmRepository, GitRepository, Bucket)",
  );
  str(
    chart,
    "--reconcile-strategy <string>",
    "the reconcile strategy for helm chart (accepted values: Revision and ChartRevision)",
    "ChartVersion",
  );
  verifyFlags(chart);
  run(chart, async () => (await sources()).runCreateSourceChart);
}

function registerWorkloads(create: Command): void {
  const ks = create.command("kustomization").alias("ks").description("Create or update a Kustomization resource");
  doc(
    ks.summary("Create or update a Kustomization resource"),
    `The create command generates a Kustomization resource for a given source.`,
    `  # Create a Kustomization resource from a source at a given path
  flux create kustomization kyverno \\
    --source=GitRepository/kyverno \\
    --path="./config/release" \\
    --prune=true \\
    --interval=60m \\
    --wait=true \\
    --health-check-timeout=3m

  # Create a Kustomization resource that depends on the previous one
  flux create kustomization kyverno-policies \\
    --depends-on=kyverno \\
    --source=GitRepository/kyverno-policies \\
    --path="./policies/flux" \\
    --prune=true \\
    --interval=5m

  # Create a Kustomization using a source from a different namespace
  flux create kustomization podinfo \\
    --namespace=default \\
    --source=GitRepository/podinfo.flux-system \\
    --path="./kustomize" \\
    --prune=true \\
    --interval=5m

  # Create a Kustomization resource that references an OCIRepository
  flux create kustomization podinfo \\
    --source=OCIRepository/podinfo \\
    --target-namespace=default \\
    --prune=true \\
    --interval=5m`,
  );
  str(
    ks,
    "--source <string>",
    "source that contains the Kubernetes manifests in the format '[<kind>/]<name>.<namespace>', where kind must be one of: (OCIRepository, GitRepository, Bucket), if kind is not specified it defaults to GitRepository",
  );
  str(ks, "--path <safeRelativePath>", "path to the directory containing a kustomization.yaml file", "./");
  boolFlag(ks, "--prune", "enable garbage collection");
  boolFlag(ks, "--wait", "enable health checking of all the applied resources");
  sliceFlag(
    ks,
    "--health-check <strings>",
    "workload to be included in the health assessment, in the format '<kind>/<name>.<namespace>'",
  );
  durationFlag(ks, "--health-check-timeout <duration>", "timeout of health checking operations", "2m0s");
  str(
    ks,
    "--validation <string>",
    "validate the manifests before applying them on the cluster, can be 'client' or 'server'",
  );
  ks.options[ks.options.length - 1]!.hideHelp();
  sliceFlag(
    ks,
    "--depends-on <strings>",
    "Kustomization that must be ready before this Kustomization can be applied, supported formats '<name>' and '<namespace>/<name>', also accepts comma-separated values",
  );
  str(
    ks,
    "--service-account <string>",
    "the name of the service account to impersonate when reconciling this Kustomization",
  );
  str(ks, "--decryption-provider <decryptionProvider>", "decryption provider, available options are: (sops)");
  str(
    ks,
    "--decryption-secret <string>",
    "set the Kubernetes secret name that contains the OpenPGP private keys used for sops decryption",
  );
  str(
    ks,
    "--target-namespace <string>",
    "overrides the namespace of all Kustomization objects reconciled by this Kustomization",
  );
  str(
    ks,
    "--kubeconfig-secret-ref <string>",
    "the name of the Kubernetes Secret that contains a key with the kubeconfig file for connecting to a remote cluster",
  );
  durationFlag(ks, "--retry-interval <duration>", "the interval at which to retry a previously failed reconciliation");
  run(ks, async () => (await resources()).runCreateKustomization);

  const hr = create.command("helmrelease").alias("hr").description("Create or update a HelmRelease resource");
  doc(
    hr.summary("Create or update a HelmRelease resource"),
    `The helmrelease create command generates a HelmRelease resource for a given HelmRepository source.`,
    `  # Create a HelmRelease with a chart from a HelmRepository source
  flux create hr podinfo \\
    --interval=10m \\
    --source=HelmRepository/podinfo \\
    --chart=podinfo \\
    --chart-version=">4.0.0"

  # Create a HelmRelease with values from local YAML files
  flux create hr podinfo \\
    --source=HelmRepository/podinfo \\
    --chart=podinfo \\
    --values=./my-values1.yaml \\
    --values=./my-values2.yaml

  # Create a HelmRelease using a chart from an OCIRepository resource
  flux create hr podinfo \\
    --namespace=default \\
    --chart-ref=OCIRepository/podinfo.flux-system`,
  );
  str(
    hr,
    "--release-name <string>",
    "name used for the Helm release, defaults to a composition of '[<target-namespace>-]<HelmRelease-name>'",
  );
  str(
    hr,
    "--source <string>",
    "source that contains the chart in the format '<kind>/<name>.<namespace>', where kind must be one of: (HelmRepository, GitRepository, Bucket)",
  );
  str(hr, "--chart <string>", "Helm chart name or path");
  str(
    hr,
    "--chart-version <string>",
    "Helm chart version, accepts a semver range (ignored for charts from GitRepository sources)",
  );
  str(
    hr,
    "--chart-ref <string>",
    "the name of the HelmChart resource to use as source for the HelmRelease, in the format '<kind>/<name>.<namespace>', where kind must be one of: (OCIRepository,HelmChart)",
  );
  sliceFlag(
    hr,
    "--depends-on <strings>",
    "HelmReleases that must be ready before this release can be installed, supported formats '<name>' and '<namespace>/<name>'",
  );
  str(hr, "--target-namespace <string>", "namespace to install this release, defaults to the HelmRelease namespace");
  str(hr, "--storage-namespace <string>", "namespace to store the Helm release, defaults to the target namespace");
  boolFlag(hr, "--create-target-namespace", "create the target namespace if it does not exist");
  str(
    hr,
    "--service-account <string>",
    "the name of the service account to impersonate when reconciling this HelmRelease",
  );
  str(
    hr,
    "--reconcile-strategy <string>",
    "the reconcile strategy for helm chart created by the helm release(accepted values: Revision and ChartRevision)",
    "ChartVersion",
  );
  durationFlag(hr, "--chart-interval <duration>", "the interval of which to check for new chart versions");
  sliceFlag(hr, "--values <strings>", "local path to values.yaml files, also accepts comma-separated values");
  sliceFlag(
    hr,
    "--values-from <strings>",
    "a Kubernetes object reference that contains the values.yaml data key in the format '<kind>/<name>', where kind must be one of: (Secret,ConfigMap)",
  );
  str(hr, "--crds <Skip|Create|CreateReplace>", "upgrade CRDs policy");
  str(
    hr,
    "--kubeconfig-secret-ref <string>",
    "the name of the Kubernetes Secret that contains a key with the kubeconfig file for connecting to a remote cluster",
  );
  run(hr, async () => (await resources()).runCreateHelmRelease);

  const image = create.command("image").description("Create or update resources dealing with image automation");

  const repo = image.command("repository").description("Create or update an ImageRepository object");
  str(repo, "--image <string>", "the image repository to scan; e.g., library/alpine");
  str(repo, "--secret-ref <string>", "the name of a docker-registry secret to use for credentials");
  str(repo, "--cert-ref <string>", "the name of a secret to use for TLS certificates");
  durationFlag(repo, "--scan-timeout <duration>", "a timeout for scanning; this defaults to the interval if not set");
  run(repo, async () => (await resources()).runCreateImageRepository);

  const policy = image.command("policy").description("Create or update an ImagePolicy object");
  str(policy, "--image-ref <string>", "the name of an image repository object");
  str(policy, "--select-semver <string>", "a semver range to apply to tags; e.g., '1.x'");
  str(
    policy,
    "--select-alpha <string>",
    `use alphabetical sorting to select image; either "asc" meaning select the last, or "desc" meaning select the first`,
  );
  str(
    policy,
    "--select-numeric <string>",
    `use numeric sorting to select image; either "asc" meaning select the last, or "desc" meaning select the first`,
  );
  str(policy, "--filter-regex <string>", "regular expression pattern used to filter the image tags");
  str(
    policy,
    "--filter-extract <string>",
    "replacement pattern (using capture groups from --filter-regex) to use for sorting",
  );
  str(
    policy,
    "--reflect-digest <string>",
    "the digest reflection policy to use when observing latest image tags (one of 'Never', 'IfNotPresent', 'Never')",
  );
  run(policy, async () => (await resources()).runCreateImagePolicy);

  const update = image.command("update").description("Create or update an ImageUpdateAutomation object");
  str(
    update,
    "--git-repo-ref <string>",
    "the name of a GitRepository resource with details of the upstream Git repository",
  );
  str(
    update,
    "--git-repo-namespace <string>",
    "the namespace of the GitRepository resource, defaults to the ImageUpdateAutomation namespace",
  );
  str(
    update,
    "--git-repo-path <string>",
    "path to the directory containing the manifests to be updated, defaults to the repository root",
  );
  str(update, "--checkout-branch <string>", "the branch to checkout");
  str(
    update,
    "--push-branch <string>",
    "the branch to push commits to, defaults to the checkout branch if not specified",
  );
  str(update, "--commit-template <string>", "a template for commit messages");
  str(update, "--author-name <string>", "the name to use for commit author");
  str(update, "--author-email <string>", "the email to use for commit author");
  str(update, "--signing-key-secret <string>", "the name of a secret containing the key used to sign commits");
  str(update, "--signing-key-type <string>", "the type of the signing key, one of: gpg, ssh (default gpg)");
  run(update, async () => (await resources()).runCreateImageUpdate);
}

function registerNotification(create: Command): void {
  const alert = create.command("alert").description("Create or update a Alert resource");
  str(alert, "--provider-ref <string>", "reference to provider");
  str(alert, "--event-severity <string>", "severity of events to send alerts for");
  sliceFlag(
    alert,
    "--event-source <strings>",
    "sources that should generate alerts (<kind>/<name>), also accepts comma-separated values",
  );
  run(alert, async () => (await resources()).runCreateAlert);

  const provider = create.command("alert-provider").description("Create or update a Provider resource");
  str(provider, "--type <string>", "type of provider");
  str(provider, "--channel <string>", "channel to send messages to in the case of a chat provider");
  str(provider, "--username <string>", "bot username used by the provider");
  str(provider, "--address <string>", "path to either the git repository, chat provider or webhook");
  str(provider, "--secret-ref <string>", "name of secret containing authentication token");
  run(provider, async () => (await resources()).runCreateAlertProvider);

  const receiver = create.command("receiver").description("Create or update a Receiver resource");
  str(receiver, "--type <string>", "");
  str(receiver, "--secret-ref <string>", "");
  sliceFlag(receiver, "--event <strings>", "also accepts comma-separated values");
  sliceFlag(receiver, "--resource <strings>", "also accepts comma-separated values");
  run(receiver, async () => (await resources()).runCreateReceiver);

  const tenant = create.command("tenant").description("Create or update a tenant");
  doc(
    tenant.summary("Create or update a tenant"),
    `The create tenant command generates namespaces, service accounts and role bindings to limit the reconcilers scope to the tenant namespaces.`,
    `  # Create a tenant with access to a namespace 
  flux create tenant dev-team \\
    --with-namespace=frontend \\
    --label=environment=dev

  # Generate tenant namespaces and role bindings in YAML format
  flux create tenant dev-team \\
    --with-namespace=frontend \\
    --with-namespace=backend \\
	--export > dev-team.yaml`,
  );
  sliceFlag(tenant, "--with-namespace <strings>", "namespace belonging to this tenant");
  str(tenant, "--with-service-account <string>", "service account belonging to this tenant");
  str(tenant, "--cluster-role <string>", "cluster role of the tenant role binding", "cluster-admin");
  boolFlag(tenant, "--skip-namespace", "skip namespace creation (namespace must exist already)");
  run(tenant, async () => (await resources()).runCreateTenant);
}

function registerSecrets(create: Command): void {
  const secret = create.command("secret").description("Create or update Kubernetes secrets");

  const git = secret.command("git").description("Create or update a Kubernetes secret for Git authentication");
  str(git, "--url <string>", "git address, e.g. ssh://git@host/org/repository");
  basicAuthFlags(git);
  sshFlags(git);
  str(git, "--ca-file <string>", "path to TLS CA file used for validating self-signed certificates");
  str(
    git,
    "--ca-crt-file <string>",
    "path to TLS CA certificate file used for validating self-signed certificates; takes precedence over --ca-file",
  );
  str(
    git,
    "--private-key-file <string>",
    "path to a passwordless private key file used for authenticating to the Git SSH server",
  );
  str(git, "--bearer-token <string>", "bearer authentication token");
  run(git, async () => (await secrets()).runCreateSecretGit);

  const helm = secret
    .command("helm")
    .description("Create or update a Kubernetes secret for Helm repository authentication");
  basicAuthFlags(helm);
  tlsFileFlags(helm);
  run(helm, async () => (await secrets()).runCreateSecretHelm);

  const tls = secret.command("tls").description("Create or update a Kubernetes secret with TLS certificates");
  tlsFileFlags(tls);
  run(tls, async () => (await secrets()).runCreateSecretTLS);

  const oci = secret.command("oci").description("Create or update a Kubernetes image pull secret");
  str(oci, "--url <string>", "oci repository address e.g. ghcr.io/stefanprodan/charts");
  basicAuthFlags(oci);
  run(oci, async () => (await secrets()).runCreateSecretOCI);

  const app = secret.command("githubapp").alias("github-app").description("Create or update a github app secret");
  str(app, "--app-id <string>", "github app ID");
  str(app, "--app-installation-id <string>", "github app installation ID");
  str(app, "--app-installation-owner <string>", "github app installation owner (user or organization)");
  str(app, "--app-private-key <string>", "github app private key file path");
  str(app, "--app-base-url <string>", "github app base URL");
  run(app, async () => (await secrets()).runCreateSecretGitHubApp);

  const proxy = secret.command("proxy").description("Create or update a Kubernetes secret for proxy authentication");
  str(proxy, "--address <string>", "proxy address");
  basicAuthFlags(proxy);
  run(proxy, async () => (await secrets()).runCreateSecretProxy);

  const notation = secret
    .command("notation")
    .description("Create or update a Kubernetes secret for verifications of artifacts signed by Notation");
  sliceFlag(notation, "--ca-cert-file <strings>", "root ca cert file path");
  str(notation, "--trust-policy-file <string>", "notation trust policy file path");
  run(notation, async () => (await secrets()).runCreateSecretNotation);

  const receiver = secret
    .command("receiver")
    .description("Create or update a Kubernetes secret for a Receiver webhook");
  str(
    receiver,
    "--type <generic|generic-hmac|github|gitlab|bitbucket|harbor|dockerhub|quay|gcr|nexus|acr|cdevents>",
    "the receiver type",
  );
  str(
    receiver,
    "--token <string>",
    "webhook token used for payload validation and URL computation, auto-generated if not specified",
  );
  str(receiver, "--hostname <string>", "hostname for the webhook URL e.g. flux.example.com");
  str(receiver, "--email-claim <string>", "IAM service account email, required for gcr type");
  str(receiver, "--audience-claim <string>", "custom OIDC token audience for gcr type, defaults to the webhook URL");
  run(receiver, async () => (await secrets()).runCreateSecretReceiver);
}

export function register(program: Command): void {
  const create = program.command("create").description("Create or update sources and resources");
  durationFlag(create, "--interval <duration>", "source sync interval", "1m0s");
  boolFlag(create, "--export", "export in YAML format to stdout");
  sliceFlag(
    create,
    "--label <strings>",
    "set labels on the resource (can specify multiple labels with commas: label1=value1,label2=value2)",
  );
  registerSources(create);
  registerWorkloads(create);
  registerNotification(create);
  registerSecrets(create);
}
