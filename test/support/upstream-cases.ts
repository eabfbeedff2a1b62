// Upstream flux v2.9.5's command-line test cases (cmd/flux/*_test.go), transcribed with
// their exact argument strings, the objects each test creates and what it asserts.
// Paths are relative to cmd/flux, i.e. to test/golden/upstream/ here; the drivers run
// with that directory as the working directory, as `go test` does.
//
// Placeholders in args and in files:
//   {{ .key }}        upstream's template values (allocated namespaces, times)
//   {{ file:NAME }}   a temporary file or directory the Go test creates (group.files)
//   {{ registry }}    host:port of the OCI registry (diff_artifact_test.go)
// Ids are "<test file>:<Test func>/<subtest name>" (Go names unnamed subtests #00, #01 …).

export type Expect =
  | { golden: string; tmpl?: "group" } // assertGoldenFile / assertGoldenTemplateFile
  | { error: string } // assertError: the returned error's text, exactly
  | { errorContains: string }
  | { success: true } // assertSuccess
  | { contains: string | string[] } // strings.Contains(output, …) in a hand-written check (each of them)
  | { sameAs: string } // output equals the output of these args
  | { output: string }; // assertGoldenValue

export interface UpstreamCase {
  name: string;
  args: string;
  expect: Expect;
  /** Template values only this case uses (trace: times); `fresh` keys get new namespaces. */
  tmpl?: Record<string, string>;
  fresh?: string[];
  /** Created (create + status update) before the case, as testEnv.CreateObjectFile. */
  objects?: string[];
  /** Server-side applied before the case and deleted after it (diff_kustomization_test.go). */
  apply?: string;
  /** A background stand-in controller writes this status once the object exists. */
  reconcile?: { kind: "GitRepository"; name: string; status: "ready" | "stalled" | "no-artifact" };
  /** Run first, and must succeed (diff_artifact_test.go pushes the artifact it diffs). */
  push?: string;
  stdin?: string;
  /** Environment for the run; values may name temporary files ({{ file:NAME }}). */
  env?: Record<string, string>;
  /**
   * SSH hosts the case scans (host → "type key"): the hosts (github.com) cannot be
   * reached here, so a stand-in ssh-keyscan first on PATH answers for them, and only them.
   */
  sshHostKeys?: Record<string, string>;
}

export interface UpstreamGroup {
  file: string;
  test: string;
  /** Needs the API server (upstream's envtest); false: pure --export / validation cases. */
  cluster: boolean;
  /** Template keys that get a fresh namespace (allocateNamespace) for the whole group. */
  namespaces?: string[];
  /** Namespaces the test creates itself (setupTestNamespace). */
  createNamespaces?: string[];
  /** testEnv.CreateObjectFile before the cases, rendered with the group's template values. */
  objects?: string[];
  /** Temporary files: name → content (null: an empty directory); content is rendered. */
  files?: Record<string, string | null>;
  /** Names of `files` written with mode 0755 (os.WriteFile(…, 0o755)). */
  executables?: string[];
  cases: UpstreamCase[];
}

/** github.com's published ECDSA host key (GitHub's "SSH key fingerprints" page), as upstream's goldens hold it. */
const GITHUB_HOST_KEYS = {
  "github.com":
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg=",
};

const NO_SIGNING =
  "create image update flux-system --git-repo-ref=flux-system --checkout-branch=main --author-name=flux --author-email=flux@example.com";
const OCI = "create source oci podinfo --url=oci://ghcr.io/stefanprodan/manifests/podinfo --tag=6.3.5";
const BUILD_PODINFO_KS = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: podinfo
  namespace: {{ .fluxns }}
spec:
  interval: 5m0s
  path: ./kustomize
  force: true
  prune: true
  sourceRef:
    kind: GitRepository
    name: podinfo
  targetNamespace: default
  postBuild:
    substitute:
      cluster_env: "prod"
      cluster_region: "eu-central-1"
`;
const OUTSIDE_CWD_KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- configmap.yaml
`;
const OUTSIDE_CWD_CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: outside-cwd
`;
const outsideCwdKs = (namespace: string, target: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: app
  namespace: ${namespace}
spec:
  interval: 5m
  path: ./source
  prune: true${target ? `\n  targetNamespace: ${target}` : ""}
  sourceRef:
    kind: GitRepository
    name: app
`;
const BUILD_SETUP = [
  "./testdata/build-kustomization/podinfo-source.yaml",
  "./testdata/build-kustomization/podinfo-kustomization.yaml",
];
const PODINFO_RESULT = "./testdata/build-kustomization/podinfo-result.yaml";
const MY_APP_RESULT = "./testdata/build-kustomization/podinfo-with-my-app-result.yaml";
const VAR_RESULT = "./testdata/build-kustomization/podinfo-with-var-substitution-result.yaml";
const DIFF = "diff kustomization podinfo --path ./testdata/build-kustomization/podinfo --progress-bar=false";
const TRACE_TIME = (rfc3339: string) => goLocalTimeString(rfc3339);

/**
 * time.Time.Local().String() under TZ=UTC (upstream's TestMain sets TZ=UTC):
 * "2006-01-02 15:04:05 +0000 UTC".
 */
export function goLocalTimeString(rfc3339: string): string {
  const d = new Date(rfc3339);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} +0000 UTC`;
}

export const upstreamGroups: UpstreamGroup[] = [
  // ---------------------------------------------------------------- create (no cluster)
  {
    file: "create_helmrelease_test.go",
    test: "TestCreateHelmRelease",
    cluster: false,
    namespaces: ["fluxns"],
    cases: [
      {
        name: "missing name",
        args: "create helmrelease --export -n {{ .fluxns }}",
        expect: { error: "name is required" },
      },
      {
        name: "missing chart template and chartRef",
        args: "create helmrelease podinfo --export -n {{ .fluxns }}",
        expect: { error: "chart or chart-ref is required" },
      },
      {
        name: "chart and chartRef used in combination",
        args: "create helmrelease podinfo --chart podinfo --chart-ref foobar/podinfo --export -n {{ .fluxns }}",
        expect: { error: "cannot use --chart in combination with --chart-ref" },
      },
      {
        name: "unknown source kind",
        args: "create helmrelease podinfo --source foobar/podinfo --chart podinfo --export -n {{ .fluxns }}",
        expect: {
          error: `invalid argument "foobar/podinfo" for "--source" flag: source kind 'foobar' is not supported, must be one of: HelmRepository, GitRepository, Bucket`,
        },
      },
      {
        name: "unknown chart reference kind",
        args: "create helmrelease podinfo --chart-ref foobar/podinfo --export -n {{ .fluxns }}",
        expect: { error: `chart reference kind 'foobar' is not supported, must be one of: OCIRepository, HelmChart` },
      },
      {
        name: "basic helmrelease",
        args: "create helmrelease podinfo --source Helmrepository/podinfo --chart podinfo --interval=1m0s --export -n {{ .fluxns }}",
        expect: { golden: "testdata/create_hr/basic.yaml", tmpl: "group" },
      },
      {
        name: "chart with OCIRepository source",
        args: "create helmrelease podinfo --chart-ref OCIRepository/podinfo --interval=1m0s --export -n {{ .fluxns }}",
        expect: { golden: "testdata/create_hr/or_basic.yaml", tmpl: "group" },
      },
      {
        name: "chart with HelmChart source",
        args: "create helmrelease podinfo --chart-ref HelmChart/podinfo --interval=1m0s --export -n {{ .fluxns }}",
        expect: { golden: "testdata/create_hr/hc_basic.yaml", tmpl: "group" },
      },
    ],
  },
  {
    file: "create_image_update_test.go",
    test: "TestCreateImageUpdate",
    cluster: false,
    cases: [
      {
        name: "no signing key",
        args: `${NO_SIGNING} --interval=1m0s --namespace=flux-system --export`,
        expect: { golden: "./testdata/create_image_update/no-signing.yaml" },
      },
      {
        name: "signing secret without explicit type defaults to gpg",
        args: `${NO_SIGNING} --signing-key-secret=my-key --interval=1m0s --namespace=flux-system --export`,
        expect: { golden: "./testdata/create_image_update/signing-default-gpg.yaml" },
      },
      {
        name: "ssh signing key",
        args: `${NO_SIGNING} --signing-key-secret=my-deploy-key --signing-key-type=ssh --interval=1m0s --namespace=flux-system --export`,
        expect: { golden: "./testdata/create_image_update/signing-ssh.yaml" },
      },
      {
        name: "signing-key-type without secret errors",
        args: `${NO_SIGNING} --signing-key-type=ssh --namespace=flux-system --export`,
        expect: { error: "--signing-key-type requires --signing-key-secret" },
      },
      {
        name: "invalid signing-key-type errors",
        args: `${NO_SIGNING} --signing-key-secret=k --signing-key-type=pgp --namespace=flux-system --export`,
        expect: { error: "--signing-key-type must be one of: gpg, ssh" },
      },
    ],
  },
  {
    file: "create_kustomization_test.go",
    test: "TestCreateKustomization",
    cluster: false,
    cases: [
      {
        name: "missing source",
        args: "create kustomization my-app --path=./deploy --export",
        expect: { error: "source is required" },
      },
    ],
  },
  {
    file: "create_secret_git_test.go",
    test: "TestCreateGitSecret",
    cluster: false,
    files: { "ca-crt": "ca-data" },
    cases: [
      { name: "no args", args: "create secret git", expect: { error: "name is required" } },
      {
        name: "basic secret",
        args: "create secret git podinfo-auth --url=https://github.com/stefanprodan/podinfo --username=my-username --password=my-password --namespace=my-namespace --export",
        expect: { golden: "./testdata/create_secret/git/secret-git-basic.yaml" },
      },
      {
        name: "ssh key",
        args: "create secret git podinfo-auth --url=ssh://git@github.com/stefanprodan/podinfo --private-key-file=./testdata/create_secret/git/ecdsa.private --namespace=my-namespace --export",
        sshHostKeys: GITHUB_HOST_KEYS,
        expect: { golden: "testdata/create_secret/git/git-ssh-secret.yaml" },
      },
      {
        name: "ssh key with password",
        args: "create secret git podinfo-auth --url=ssh://git@github.com/stefanprodan/podinfo --private-key-file=./testdata/create_secret/git/ecdsa-password.private --password=password --namespace=my-namespace --export",
        sshHostKeys: GITHUB_HOST_KEYS,
        expect: { golden: "testdata/create_secret/git/git-ssh-secret-password.yaml" },
      },
      {
        name: "git authentication with bearer token",
        args: "create secret git bearer-token-auth --url=https://github.com/stefanprodan/podinfo --bearer-token=ghp_baR2qnFF0O41WlucePL3udt2N9vVZS4R0hAS --namespace=my-namespace --export",
        expect: { golden: "testdata/create_secret/git/git-bearer-token.yaml" },
      },
      {
        name: "git authentication with CA certificate",
        args: "create secret git ca-crt --url=https://github.com/stefanprodan/podinfo --password=my-password --username=my-username --ca-crt-file={{ file:ca-crt }} --namespace=my-namespace --export",
        expect: { golden: "testdata/create_secret/git/secret-ca-crt.yaml" },
      },
      {
        name: "git authentication with basic auth and bearer token",
        args: "create secret git podinfo-auth --url=https://github.com/stefanprodan/podinfo --username=aaa --password=zzzz --bearer-token=aaaa --namespace=my-namespace --export",
        expect: { error: "user credentials and bearer token cannot be used together" },
      },
    ],
  },
  {
    file: "create_secret_githubapp_test.go",
    test: "TestCreateSecretGitHubApp",
    cluster: false,
    cases: [
      {
        name: "create githubapp secret with missing name",
        args: "create secret githubapp",
        expect: { error: "name is required" },
      },
      {
        name: "create githubapp secret with private key file that does not exist",
        args: "create secret githubapp appinfo --app-id 1 --app-installation-id 2 --app-private-key pk.pem",
        expect: { error: "unable to read private key file: open pk.pem: no such file or directory" },
      },
      {
        name: "create githubapp secret with app info",
        args: "create secret githubapp appinfo --namespace my-namespace --app-id 1 --app-installation-owner my-org --app-private-key ./testdata/create_secret/githubapp/test-private-key.pem --export",
        expect: { golden: "testdata/create_secret/githubapp/secret.yaml" },
      },
      {
        name: "create githubapp secret with appinfo and base url",
        args: "create secret githubapp appinfo --namespace my-namespace --app-id 1 --app-installation-id 2 --app-private-key ./testdata/create_secret/githubapp/test-private-key.pem --app-base-url www.example.com/api/v3 --export",
        expect: { golden: "testdata/create_secret/githubapp/secret-with-baseurl.yaml" },
      },
    ],
  },
  {
    file: "create_secret_helm_test.go",
    test: "TestCreateHelmSecret",
    cluster: false,
    cases: [
      { name: "#00", args: "create secret helm", expect: { error: "name is required" } },
      {
        name: "#01",
        args: "create secret helm helm-secret --username=my-username --password=my-password --namespace=my-namespace --export",
        expect: { golden: "testdata/create_secret/helm/secret-helm.yaml" },
      },
    ],
  },
  {
    file: "create_secret_notation_test.go",
    test: "TestCreateNotationSecret",
    cluster: false,
    files: { "ca.crt": "ca-data-crt", "ca.pem": "ca-data-pem", "ca.p12": "", dir1: null, dir2: null },
    cases: [
      { name: "no args", args: "create secret notation", expect: { error: "name is required" } },
      {
        name: "no trust policy",
        args: "create secret notation notation-config --ca-cert-file=./testdata/create_secret/notation",
        expect: { error: "--trust-policy-file is required" },
      },
      {
        name: "no cert",
        args: "create secret notation notation-config --trust-policy-file=./testdata/create_secret/notation/test-trust-policy.json",
        expect: { error: "--ca-cert-file is required" },
      },
      {
        name: "non pem and crt cert",
        args: "create secret notation notation-config --ca-cert-file={{ file:ca.p12 }} --trust-policy-file=./testdata/create_secret/notation/test-trust-policy.json",
        expect: { error: "ca.p12 must end with either .crt or .pem" },
      },
      {
        name: "invalid trust policy",
        args: "create secret notation notation-config --ca-cert-file={{ file:dir1 }} --trust-policy-file=./testdata/create_secret/notation/invalid-trust-policy.json",
        expect: {
          error:
            "invalid trust policy: trust policy: a trust policy statement is missing a name, every statement requires a name",
        },
      },
      {
        name: "invalid trust policy json",
        args: "create secret notation notation-config --ca-cert-file={{ file:dir2 }} --trust-policy-file=./testdata/create_secret/notation/invalid.json",
        expect: {
          error:
            "failed to unmarshal trust policy ./testdata/create_secret/notation/invalid.json: json: cannot unmarshal string into Go value of type trustpolicy.Document",
        },
      },
      {
        name: "crt secret",
        args: "create secret notation notation-config --ca-cert-file={{ file:ca.crt }} --trust-policy-file=./testdata/create_secret/notation/test-trust-policy.json --namespace=my-namespace --export",
        expect: { golden: "./testdata/create_secret/notation/secret-ca-crt.yaml" },
      },
      {
        name: "pem secret",
        args: "create secret notation notation-config --ca-cert-file={{ file:ca.pem }} --trust-policy-file=./testdata/create_secret/notation/test-trust-policy.json --namespace=my-namespace --export",
        expect: { golden: "./testdata/create_secret/notation/secret-ca-pem.yaml" },
      },
      {
        name: "multi secret",
        args: "create secret notation notation-config --ca-cert-file={{ file:ca.crt }} --ca-cert-file={{ file:ca.pem }} --trust-policy-file=./testdata/create_secret/notation/test-trust-policy.json --namespace=my-namespace --export",
        expect: { golden: "./testdata/create_secret/notation/secret-ca-multi.yaml" },
      },
    ],
  },
  {
    file: "create_secret_oci_test.go",
    test: "TestCreateSecretOCI",
    cluster: false,
    cases: [
      { name: "#00", args: "create secret oci", expect: { error: "name is required" } },
      { name: "#01", args: "create secret oci ghcr", expect: { error: "--url is required" } },
      {
        name: "#02",
        args: "create secret oci ghcr --namespace=my-namespace --url ghcr.io --username stefanprodan --password=password --export",
        expect: { golden: "testdata/create_secret/oci/create-secret.yaml" },
      },
    ],
  },
  {
    file: "create_secret_proxy_test.go",
    test: "TestCreateProxySecret",
    cluster: false,
    cases: [
      { name: "#00", args: "create secret proxy proxy-secret", expect: { error: "address is required" } },
      {
        name: "#01",
        args: "create secret proxy proxy-secret --address=https://my-proxy.com --username=my-username --password=my-password --namespace=my-namespace --export",
        expect: { golden: "testdata/create_secret/proxy/secret-proxy.yaml" },
      },
    ],
  },
  {
    file: "create_secret_receiver_test.go",
    test: "TestCreateReceiverSecret",
    cluster: false,
    cases: [
      {
        name: "missing type",
        args: "create secret receiver test-secret --token=t --hostname=h",
        expect: { error: "--type is required" },
      },
      {
        name: "invalid type",
        args: "create secret receiver test-secret --type=invalid --token=t --hostname=h",
        expect: {
          error: `invalid argument "invalid" for "--type" flag: receiver type 'invalid' is not supported, must be one of: generic, generic-hmac, github, gitlab, bitbucket, harbor, dockerhub, quay, gcr, nexus, acr, cdevents`,
        },
      },
      {
        name: "missing hostname",
        args: "create secret receiver test-secret --type=github --token=t",
        expect: { error: "--hostname is required" },
      },
      {
        name: "gcr missing email-claim",
        args: "create secret receiver test-secret --type=gcr --token=t --hostname=h",
        expect: { error: "--email-claim is required for gcr receiver type" },
      },
      {
        name: "github receiver secret",
        args: "create secret receiver receiver-secret --type=github --token=test-token --hostname=flux.example.com --namespace=my-namespace --export",
        expect: { golden: "testdata/create_secret/receiver/secret-receiver.yaml" },
      },
      {
        name: "gcr receiver secret",
        args: "create secret receiver gcr-secret --type=gcr --token=test-token --hostname=flux.example.com --email-claim=sa@project.iam.gserviceaccount.com --namespace=my-namespace --export",
        expect: { golden: "testdata/create_secret/receiver/secret-receiver-gcr.yaml" },
      },
      {
        name: "gcr receiver secret with custom audience",
        args: "create secret receiver gcr-secret --type=gcr --token=test-token --hostname=flux.example.com --email-claim=sa@project.iam.gserviceaccount.com --audience-claim=https://custom.audience.example.com --namespace=my-namespace --export",
        expect: { golden: "testdata/create_secret/receiver/secret-receiver-gcr-audience.yaml" },
      },
    ],
  },
  {
    file: "create_secret_tls_test.go",
    test: "TestCreateTlsSecret",
    cluster: false,
    cases: [
      { name: "#00", args: "create secret tls", expect: { error: "name is required" } },
      {
        name: "#01",
        args: "create secret tls certs --namespace=my-namespace --tls-crt-file=./testdata/create_secret/tls/test-cert.pem --tls-key-file=./testdata/create_secret/tls/test-key.pem --ca-crt-file=./testdata/create_secret/tls/test-ca.pem --export",
        expect: { golden: "testdata/create_secret/tls/secret-tls.yaml" },
      },
    ],
  },
  {
    file: "create_source_chart_test.go",
    test: "TestCreateSourceChart",
    cluster: false,
    namespaces: ["fluxns"],
    cases: [
      {
        name: "missing name",
        args: "create source chart --export -n {{ .fluxns }}",
        expect: { error: "name is required" },
      },
      {
        name: "missing source reference",
        args: "create source chart podinfo --export  -n {{ .fluxns }}",
        expect: { error: "chart source is required" },
      },
      {
        name: "missing chart name",
        args: "create source chart podinfo --source helmrepository/podinfo --export -n {{ .fluxns }}",
        expect: { error: "chart name or path is required" },
      },
      {
        name: "unknown source kind",
        args: "create source chart podinfo --source foobar/podinfo --export -n {{ .fluxns }}",
        expect: {
          error: `invalid argument "foobar/podinfo" for "--source" flag: source kind 'foobar' is not supported, must be one of: HelmRepository, GitRepository, Bucket`,
        },
      },
      {
        name: "basic chart",
        args: "create source chart podinfo --source helmrepository/podinfo --chart podinfo --export -n {{ .fluxns }}",
        expect: { golden: "testdata/create_source_chart/basic.yaml", tmpl: "group" },
      },
      {
        name: "chart with basic signature verification",
        args: "create source chart podinfo --source helmrepository/podinfo --chart podinfo --verify-provider cosign --export -n {{ .fluxns }}",
        expect: { golden: "testdata/create_source_chart/verify_basic.yaml", tmpl: "group" },
      },
      {
        name: "unknown signature verification provider",
        args: "create source chart podinfo --source helmrepository/podinfo --chart podinfo --verify-provider foobar --export -n {{ .fluxns }}",
        expect: {
          error: `invalid argument "foobar" for "--verify-provider" flag: source OCI verify provider 'foobar' is not supported, must be one of: cosign`,
        },
      },
      {
        name: "chart with complete signature verification",
        args: "create source chart podinfo --source helmrepository/podinfo --chart podinfo --verify-provider cosign --verify-issuer foo --verify-subject bar --export -n {{ .fluxns }}",
        expect: { golden: "testdata/create_source_chart/verify_complete.yaml", tmpl: "group" },
      },
    ],
  },
  {
    file: "create_source_git_test.go",
    test: "TestCreateSourceGitExport",
    cluster: false,
    cases: [
      {
        name: "ExportSucceeded",
        args: "create source git podinfo --url=https://github.com/stefanprodan/podinfo --branch=master --sparse-checkout-paths .cosign,non-existent-dir/ --ignore-paths .cosign,non-existent-dir/ -n default --interval 1m --export --timeout=10s",
        expect: { golden: "testdata/create_source_git/export.golden" },
      },
      {
        name: "no args",
        args: "create source git --url=https://github.com/stefanprodan/podinfo",
        expect: { error: "name is required" },
      },
      {
        name: "source with commit",
        args: "create source git podinfo --namespace=flux-system --url=https://github.com/stefanprodan/podinfo --commit=c88a2f41 --interval=1m0s --export",
        expect: { golden: "./testdata/create_source_git/source-git-commit.yaml" },
      },
      {
        name: "source with ref name",
        args: "create source git podinfo --namespace=flux-system --url=https://github.com/stefanprodan/podinfo --ref-name=refs/heads/main --interval=1m0s --export",
        expect: { golden: "testdata/create_source_git/source-git-refname.yaml" },
      },
      {
        name: "source with branch name and commit",
        args: "create source git podinfo --namespace=flux-system --url=https://github.com/stefanprodan/podinfo --branch=main --commit=c88a2f41 --interval=1m0s --export",
        expect: { golden: "testdata/create_source_git/source-git-branch-commit.yaml" },
      },
      {
        name: "source with semver",
        args: "create source git podinfo --namespace=flux-system --url=https://github.com/stefanprodan/podinfo --tag-semver=v1.01 --interval=1m0s --export",
        expect: { golden: "testdata/create_source_git/source-git-semver.yaml" },
      },
      {
        name: "source with git tag",
        args: "create source git podinfo --namespace=flux-system --url=https://github.com/stefanprodan/podinfo --tag=test --interval=1m0s --export",
        expect: { golden: "testdata/create_source_git/source-git-tag.yaml" },
      },
      {
        name: "source with git branch",
        args: "create source git podinfo --namespace=flux-system --url=https://github.com/stefanprodan/podinfo --branch=test --interval=1m0s --export",
        expect: { golden: "testdata/create_source_git/source-git-branch.yaml" },
      },
      {
        name: "source with generic provider",
        args: "create source git podinfo --namespace=flux-system --url=https://github.com/stefanprodan/podinfo --provider generic --branch=test --interval=1m0s --export",
        expect: { golden: "testdata/create_source_git/source-git-provider-generic.yaml" },
      },
      {
        name: "source with azure provider",
        args: "create source git podinfo --namespace=flux-system --url=https://dev.azure.com/foo/bar/_git/podinfo --provider azure --branch=test --interval=1m0s --export",
        expect: { golden: "testdata/create_source_git/source-git-provider-azure.yaml" },
      },
      {
        name: "source with github provider",
        args: "create source git podinfo --namespace=flux-system --url=https://github.com/stefanprodan/podinfo --provider github --branch=test --interval=1m0s --secret-ref appinfo --export",
        expect: { golden: "testdata/create_source_git/source-git-provider-github.yaml" },
      },
      {
        name: "source with invalid provider",
        args: "create source git podinfo --namespace=flux-system --url=https://dev.azure.com/foo/bar/_git/podinfo --provider dummy --branch=test --interval=1m0s --export",
        expect: {
          error: `invalid argument "dummy" for "--provider" flag: source Git provider 'dummy' is not supported, must be one of: generic|github|aws|azure`,
        },
      },
      {
        name: "source with empty provider",
        args: `create source git podinfo --namespace=flux-system --url=https://dev.azure.com/foo/bar/_git/podinfo --provider "" --branch=test --interval=1m0s --export`,
        expect: {
          error: `invalid argument "" for "--provider" flag: no source Git provider given, please specify the Git provider name`,
        },
      },
      {
        name: "source with no provider",
        args: "create source git podinfo --namespace=flux-system --url=https://dev.azure.com/foo/bar/_git/podinfo --branch=test --interval=1m0s --export --provider",
        expect: { error: "flag needs an argument: --provider" },
      },
    ],
  },
  {
    file: "create_source_helm_test.go",
    test: "TestCreateSourceHelm",
    cluster: false,
    namespaces: ["fluxns"],
    cases: [
      { name: "no args", args: "create source helm -n {{ .fluxns }}", expect: { error: "name is required" } },
      {
        name: "unsupported URL scheme",
        args: "create source helm podinfo --url=git://example.com/charts --export -n {{ .fluxns }}",
        expect: { error: "url scheme 'git' not supported, can be: http, https and oci" },
      },
      {
        name: "OCI repo",
        args: "create source helm podinfo --url=oci://ghcr.io/stefanprodan/charts/podinfo --interval 5m --export -n {{ .fluxns }}",
        expect: { golden: "./testdata/create_source_helm/oci.golden", tmpl: "group" },
      },
      {
        name: "OCI repo with Secret ref",
        args: "create source helm podinfo --url=oci://ghcr.io/stefanprodan/charts/podinfo --interval 5m --secret-ref=creds --export -n {{ .fluxns }}",
        expect: { golden: "./testdata/create_source_helm/oci-with-secret.golden", tmpl: "group" },
      },
      {
        name: "HTTPS repo",
        args: "create source helm podinfo --url=https://stefanprodan.github.io/charts/podinfo --interval 5m --export -n {{ .fluxns }}",
        expect: { golden: "./testdata/create_source_helm/https.golden", tmpl: "group" },
      },
    ],
  },
  {
    file: "create_source_oci_test.go",
    test: "TestCreateSourceOCI",
    cluster: false,
    cases: [
      { name: "NoArgs", args: "create source oci", expect: { error: "name is required" } },
      { name: "NoURL", args: "create source oci podinfo", expect: { error: "url is required" } },
      {
        name: "verify secret specified but provider missing",
        args: `${OCI} --verify-secret-ref=cosign-pub`,
        expect: { error: "a verification provider must be specified when a secret is specified" },
      },
      {
        name: "verify issuer specified but provider missing",
        args: `${OCI} --verify-issuer=github.com`,
        expect: { error: "a verification provider must be specified when OIDC issuer/subject is specified" },
      },
      {
        name: "verify identity specified but provider missing",
        args: `${OCI} --verify-subject=developer`,
        expect: { error: "a verification provider must be specified when OIDC issuer/subject is specified" },
      },
      {
        name: "verify issuer specified but subject missing",
        args: `${OCI} --verify-issuer=github --verify-provider=cosign --export`,
        expect: { golden: "./testdata/oci/export_with_issuer.golden" },
      },
      {
        name: "all verify fields set",
        args: `${OCI} --verify-issuer=github verify-subject=stefanprodan --verify-provider=cosign --export`,
        expect: { golden: "./testdata/oci/export_with_issuer.golden" },
      },
      {
        name: "verify subject specified but issuer missing",
        args: `${OCI} --verify-subject=stefanprodan --verify-provider=cosign --export`,
        expect: { golden: "./testdata/oci/export_with_subject.golden" },
      },
      {
        name: "export manifest",
        args: `${OCI} --interval 10m --export`,
        expect: { golden: "./testdata/oci/export.golden" },
      },
      {
        name: "export manifest with secret",
        args: `${OCI} --interval 10m --secret-ref=creds --export`,
        expect: { golden: "./testdata/oci/export_with_secret.golden" },
      },
      {
        name: "export manifest with verify secret",
        args: `${OCI} --interval 10m --verify-provider=cosign --verify-secret-ref=cosign-pub --export`,
        expect: { golden: "./testdata/oci/export_with_verify_secret.golden" },
      },
      {
        name: "export manifest with layer selector",
        args: `${OCI} --interval 10m --layer-selector=application/vnd.cncf.helm.chart.content.v1.tar+gzip:copy --export`,
        expect: { golden: "./testdata/oci/export_with_layer_selector.golden" },
      },
      {
        name: "invalid layer selector operation",
        args: `${OCI} --layer-selector=application/vnd.cncf.helm.chart.content.v1.tar+gzip:move --export`,
        expect: {
          error: `invalid --layer-selector "application/vnd.cncf.helm.chart.content.v1.tar+gzip:move": operation must be "extract" or "copy"`,
        },
      },
      {
        name: "invalid layer selector format",
        args: `${OCI} --layer-selector=application/vnd.cncf.helm.chart.content.v1.tar+gzip --export`,
        expect: {
          error: `invalid --layer-selector "application/vnd.cncf.helm.chart.content.v1.tar+gzip": must be in the format '<media-type>:<operation>'`,
        },
      },
    ],
  },
  {
    file: "create_tenant_test.go",
    test: "TestCreateTenant",
    cluster: false,
    cases: [
      { name: "no args", args: "create tenant", expect: { error: "name is required" } },
      {
        name: "no namespace",
        args: "create tenant dev-team --cluster-role=cluster-admin",
        expect: { error: "with-namespace is required" },
      },
      {
        name: "basic tenant",
        args: "create tenant dev-team --with-namespace=apps --cluster-role=cluster-admin --export",
        expect: { golden: "./testdata/create_tenant/tenant-basic.yaml" },
      },
      {
        name: "tenant with custom serviceaccount",
        args: "create tenant dev-team --with-namespace=apps --cluster-role=cluster-admin --with-service-account=flux-tenant --export",
        expect: { golden: "./testdata/create_tenant/tenant-with-service-account.yaml" },
      },
      {
        name: "tenant with custom cluster role",
        args: "create tenant dev-team --with-namespace=apps --cluster-role=custom-role --export",
        expect: { golden: "./testdata/create_tenant/tenant-with-cluster-role.yaml" },
      },
      {
        name: "tenant with skip namespace",
        args: "create tenant dev-team --with-namespace=apps --cluster-role=cluster-admin --skip-namespace --export",
        expect: { golden: "./testdata/create_tenant/tenant-with-skip-namespace.yaml" },
      },
    ],
  },
  {
    file: "envsubst_test.go",
    test: "TestEnvsubst",
    cluster: false,
    cases: [
      {
        name: "",
        args: "envsubst",
        stdin: "testdata/envsubst/file.yaml",
        env: { REPO_NAME: "test" },
        expect: { golden: "testdata/envsubst/file.gold" },
      },
    ],
  },
  {
    file: "envsubst_test.go",
    test: "TestEnvsubst_Strinct",
    cluster: false,
    cases: [
      {
        name: "",
        args: "envsubst --strict",
        stdin: "testdata/envsubst/file.yaml",
        expect: { errorContains: "variable not set (strict mode)" },
      },
    ],
  },
  {
    file: "install_test.go",
    test: "TestInstall",
    cluster: false,
    cases: [
      {
        name: "invalid namespace",
        args: "install --namespace='@#[]'",
        expect: { error: `namespace must be a valid DNS label: "@#[]"` },
      },
      {
        name: "invalid sub-command",
        args: "install unexpectedPosArg --namespace=example",
        expect: { error: `unknown command "unexpectedPosArg" for "flux install"` },
      },
      {
        name: "missing image pull secret",
        args: "install --registry-creds=fluxcd:test",
        expect: { error: "--registry-creds requires --image-pull-secret to be set" },
      },
    ],
  },
  // ---------------------------------------------------------------- against the API server
  {
    file: "create_source_git_test.go",
    test: "TestCreateSourceGit",
    cluster: true,
    cases: [
      { name: "NoArgs", args: "create source git -n={{ .ns }}", fresh: ["ns"], expect: { error: "name is required" } },
      {
        name: "Succeeded",
        args: "create source git podinfo --url=https://github.com/stefanprodan/podinfo --branch=master --timeout=10s -n={{ .ns }}",
        fresh: ["ns"],
        reconcile: { kind: "GitRepository", name: "podinfo", status: "ready" },
        expect: { golden: "testdata/create_source_git/success.golden" },
      },
      {
        name: "Failed",
        args: "create source git podinfo --url=https://github.com/stefanprodan/podinfo --branch=master --timeout=10s -n={{ .ns }}",
        fresh: ["ns"],
        reconcile: { kind: "GitRepository", name: "podinfo", status: "stalled" },
        expect: { error: "failed message" },
      },
      {
        name: "NoArtifact",
        args: "create source git podinfo --url=https://github.com/stefanprodan/podinfo --branch=master --timeout=10s -n={{ .ns }}",
        fresh: ["ns"],
        reconcile: { kind: "GitRepository", name: "podinfo", status: "no-artifact" },
        expect: { error: "GitRepository source reconciliation completed but no artifact was found" },
      },
    ],
  },
  {
    file: "get_test.go",
    test: "Test_GetCmd",
    cluster: true,
    namespaces: ["fluxns"],
    objects: ["./testdata/get/objects.yaml"],
    cases: [
      {
        name: "no label selector",
        args: "get sources git  -n {{ .fluxns }}",
        expect: { golden: "testdata/get/get.golden" },
      },
      {
        name: "equal label selector",
        args: "get sources git -l sharding.fluxcd.io/key=shard1 -n {{ .fluxns }}",
        expect: { golden: "testdata/get/get_label_one.golden" },
      },
      {
        name: "notin label selector",
        args: `get sources git -l "sharding.fluxcd.io/key notin (shard1, shard2)" -n {{ .fluxns }}`,
        expect: { golden: "testdata/get/get_label_two.golden" },
      },
    ],
  },
  {
    file: "get_test.go",
    test: "Test_GetCmdStatusSelector",
    cluster: true,
    namespaces: ["fluxns"],
    objects: ["./testdata/get/status_objects.yaml"],
    cases: [
      {
        name: "equal status selector matches one",
        args: "get sources git --status-selector Ready=True -n {{ .fluxns }}",
        expect: { golden: "testdata/get/get_status_ready_true.golden" },
      },
      {
        name: "equal status selector matches false",
        args: "get sources git --status-selector Ready=False -n {{ .fluxns }}",
        expect: { golden: "testdata/get/get_status_ready_false.golden" },
      },
      {
        name: "not-equal status selector matches all not-true",
        args: "get sources git --status-selector Ready!=True -n {{ .fluxns }}",
        expect: { golden: "testdata/get/get_status_ready_not_true.golden" },
      },
    ],
  },
  {
    file: "get_test.go",
    test: "Test_GetCmdStatusSelectorSyntheticReady",
    cluster: true,
    namespaces: ["fluxns"],
    objects: ["./testdata/get/notification_objects.yaml"],
    cases: ["get alerts", "get alert-providers", "get all"].map((command) => ({
      name: command,
      args: `${command} --status-selector Ready=True -n {{ .fluxns }}`,
      expect: { sameAs: `${command} -n {{ .fluxns }}` },
    })),
  },
  {
    file: "get_test.go",
    test: "Test_GetAllCmdStatusSelectorNoMatches",
    cluster: true,
    namespaces: ["fluxns"],
    objects: ["./testdata/get/status_objects.yaml"],
    cases: [{ name: "", args: "get all --status-selector foo=bar -n {{ .fluxns }}", expect: { output: "" } }],
  },
  {
    file: "get_test.go",
    test: "Test_GetAllCmdStatusSelectorKustomizationOnlyMatches",
    cluster: true,
    namespaces: ["fluxns"],
    objects: ["./testdata/get/kustomization_only.yaml"],
    cases: [
      {
        name: "",
        args: "get all --status-selector Ready=True -n {{ .fluxns }}",
        expect: { sameAs: "get all -n {{ .fluxns }}" },
      },
    ],
  },
  {
    file: "get_test.go",
    test: "Test_GetAllCmdStatusSelectorKustomizationOnlyNoMatch",
    cluster: true,
    namespaces: ["fluxns", "empty"],
    createNamespaces: ["empty"],
    objects: ["./testdata/get/kustomization_only.yaml"],
    cases: [
      {
        name: "",
        args: "get all --status-selector Ready=False -n {{ .fluxns }}",
        expect: { sameAs: "get all -n {{ .empty }}" },
      },
    ],
  },
  {
    file: "get_test.go",
    test: "Test_GetCmdErrors",
    cluster: true,
    namespaces: ["fluxns"],
    objects: ["./testdata/get/objects.yaml"],
    cases: [
      {
        name: "specific object not found",
        args: "get kustomization non-existent-resource -n {{ .fluxns }}",
        expect: { error: `Kustomization object 'non-existent-resource' not found in "{{ .fluxns }}" namespace` },
      },
      {
        name: "no objects found in namespace",
        args: "get helmrelease -n {{ .fluxns }}",
        expect: { error: `no HelmRelease objects found in "{{ .fluxns }}" namespace` },
      },
      {
        name: "no artifact generators found in namespace",
        args: "get artifact generators -n {{ .fluxns }}",
        expect: { error: `no ArtifactGenerator objects found in "{{ .fluxns }}" namespace` },
      },
      {
        name: "malformed status selector",
        args: "get sources git --status-selector Ready -n {{ .fluxns }}",
        expect: { error: "expected status selector in type=status or type!=status format, but found: Ready" },
      },
    ],
  },
  {
    file: "get_test.go",
    test: "Test_GetCmdSuccess",
    cluster: true,
    namespaces: ["fluxns"],
    objects: ["./testdata/get/objects.yaml"],
    cases: [
      { name: "list sources git", args: "get sources git -n {{ .fluxns }}", expect: { success: true } },
      { name: "get help", args: "get --help", expect: { success: true } },
      { name: "get with all namespaces flag", args: "get sources git -A", expect: { success: true } },
    ],
  },
  {
    file: "export_test.go",
    test: "TestExport",
    cluster: true,
    namespaces: ["fluxns"],
    objects: ["testdata/export/objects.yaml"],
    cases: (
      [
        ["alert-provider", "export alert-provider slack", "provider.yaml"],
        ["alert", "export alert flux-system", "alert.yaml"],
        ["image policy", "export image policy flux-system", "image-policy.yaml"],
        ["image repository", "export image repository flux-system", "image-repo.yaml"],
        ["image update", "export image update flux-system", "image-update.yaml"],
        ["source git", "export source git flux-system", "git-repo.yaml"],
        ["source chart", "export source chart flux-system", "helm-chart.yaml"],
        ["source helm", "export source helm flux-system", "helm-repo.yaml"],
        ["receiver", "export receiver flux-system", "receiver.yaml"],
        ["kustomization", "export kustomization flux-system", "ks.yaml"],
        ["helmrelease", "export helmrelease flux-system", "helm-release.yaml"],
        ["bucket", "export source bucket flux-system", "bucket.yaml"],
        ["source external", "export source external flux-system", "external-artifact.yaml"],
      ] as const
    ).map(([name, arg, golden]) => ({
      name,
      args: `${arg} -n={{ .fluxns }}`,
      expect: { golden: `testdata/export/${golden}`, tmpl: "group" as const },
    })),
  },
  {
    file: "trace_test.go",
    test: "TestTraceNoArgs",
    cluster: true,
    cases: [
      {
        name: "",
        args: "trace",
        expect: { error: "either `<resource>/<name>` or `<resource> <name>` is required as an argument" },
      },
    ],
  },
  {
    file: "trace_test.go",
    test: "TestTrace",
    cluster: true,
    cases: [
      {
        name: "Deployment",
        args: "trace podinfo --kind deployment --api-version=apps/v1 -n={{ .ns }}",
        objects: ["testdata/trace/deployment.yaml"],
        fresh: ["ns", "fluxns"],
        tmpl: {
          helmReleaseLastReconcile: TRACE_TIME("2021-07-16T15:42:20Z"),
          helmChartLastReconcile: TRACE_TIME("2021-07-16T15:32:09Z"),
          helmRepositoryLastReconcile: TRACE_TIME("2021-07-11T00:25:46Z"),
        },
        expect: { golden: "testdata/trace/deployment.golden", tmpl: "group" },
      },
      {
        name: "HelmRelease",
        args: "trace podinfo --kind HelmRelease --api-version=helm.toolkit.fluxcd.io/v2 -n={{ .ns }}",
        objects: ["testdata/trace/helmrelease.yaml"],
        fresh: ["ns", "fluxns"],
        tmpl: {
          kustomizationLastReconcile: TRACE_TIME("2021-08-01T04:52:56Z"),
          gitRepositoryLastReconcile: TRACE_TIME("2021-07-20T00:48:16Z"),
        },
        expect: { golden: "testdata/trace/helmrelease.golden", tmpl: "group" },
      },
      {
        name: "HelmRelease from OCI registry",
        args: "trace podinfo --kind HelmRelease --api-version=helm.toolkit.fluxcd.io/v2 -n={{ .ns }}",
        objects: ["testdata/trace/helmrelease-oci.yaml"],
        fresh: ["ns", "fluxns"],
        tmpl: {
          kustomizationLastReconcile: TRACE_TIME("2021-08-01T04:52:56Z"),
          ociRepositoryLastReconcile: TRACE_TIME("2021-07-20T00:48:16Z"),
        },
        expect: { golden: "testdata/trace/helmrelease-oci.golden", tmpl: "group" },
      },
      {
        name: "Deployment from HelmRelease from OCI registry",
        args: "trace podinfo --kind deployment --api-version=apps/v1 -n={{ .ns }}",
        objects: ["testdata/trace/deployment-hr-ocirepo.yaml"],
        fresh: ["ns", "fluxns"],
        tmpl: {
          helmReleaseLastReconcile: TRACE_TIME("2021-07-16T15:42:20Z"),
          ociRepositoryLastReconcile: TRACE_TIME("2021-07-20T00:48:16Z"),
        },
        expect: { golden: "testdata/trace/deployment-hr-ocirepo.golden", tmpl: "group" },
      },
    ],
  },
  {
    file: "tree_kustomization_test.go",
    test: "TestTree",
    cluster: true,
    cases: (
      [
        ["tree kustomization", "tree kustomization flux-system", "tree.golden"],
        ["tree kustomization compact", "tree kustomization flux-system --compact", "tree-compact.golden"],
        ["tree kustomization empty", "tree kustomization empty", "tree-empty.golden"],
      ] as const
    ).map(([name, args, golden]) => ({
      name,
      args: `${args} -n={{ .fluxns }}`,
      objects: ["testdata/tree/kustomizations.yaml"],
      fresh: ["fluxns"],
      expect: { golden: `testdata/tree/${golden}`, tmpl: "group" as const },
    })),
  },
  {
    file: "check_test.go",
    test: "TestCheckPre",
    cluster: true,
    cases: [{ name: "", args: "check --pre", expect: { golden: "testdata/check/check_pre.golden", tmpl: "group" } }],
  },
  {
    file: "build_kustomization_test.go",
    test: "TestBuildKustomization",
    cluster: true,
    namespaces: ["fluxns"],
    objects: BUILD_SETUP,
    cases: [
      {
        name: "no args",
        args: "build kustomization podinfo -n {{ .fluxns }}",
        expect: { error: `invalid resource path ""` },
      },
      {
        name: "build podinfo",
        args: "build kustomization podinfo --path ./testdata/build-kustomization/podinfo -n {{ .fluxns }}",
        expect: { golden: PODINFO_RESULT, tmpl: "group" },
      },
      {
        name: "build podinfo (in-memory)",
        args: "build kustomization podinfo --path ./testdata/build-kustomization/podinfo --in-memory-build=true -n {{ .fluxns }}",
        expect: { golden: PODINFO_RESULT, tmpl: "group" },
      },
      {
        name: "build podinfo without service",
        args: "build kustomization podinfo --path ./testdata/build-kustomization/delete-service -n {{ .fluxns }}",
        expect: { golden: "./testdata/build-kustomization/podinfo-without-service-result.yaml", tmpl: "group" },
      },
      {
        name: "build deployment and configmap with var substitution",
        args: "build kustomization podinfo --path ./testdata/build-kustomization/var-substitution -n {{ .fluxns }}",
        expect: { golden: VAR_RESULT, tmpl: "group" },
      },
      {
        name: "build ignore",
        args: `build kustomization podinfo --path ./testdata/build-kustomization/ignore --ignore-paths "!configmap.yaml,!secret.yaml" -n {{ .fluxns }}`,
        expect: { golden: "./testdata/build-kustomization/podinfo-with-ignore-result.yaml", tmpl: "group" },
      },
      {
        name: "build ignore (in-memory)",
        args: `build kustomization podinfo --path ./testdata/build-kustomization/ignore --ignore-paths "!configmap.yaml,!secret.yaml" --in-memory-build=true -n {{ .fluxns }}`,
        expect: { golden: "./testdata/build-kustomization/podinfo-with-ignore-result.yaml", tmpl: "group" },
      },
      {
        name: "build with recursive",
        args: "build kustomization podinfo --path ./testdata/build-kustomization/podinfo-with-my-app --recursive --local-sources GitRepository/default/podinfo=./testdata/build-kustomization -n {{ .fluxns }}",
        expect: { golden: MY_APP_RESULT, tmpl: "group" },
      },
      {
        name: "build with recursive (in-memory)",
        args: "build kustomization podinfo --path ./testdata/build-kustomization/podinfo-with-my-app --recursive --local-sources GitRepository/default/podinfo=./testdata/build-kustomization --in-memory-build=true -n {{ .fluxns }}",
        expect: { golden: MY_APP_RESULT, tmpl: "group" },
      },
    ],
  },
  {
    file: "build_kustomization_test.go",
    test: "TestBuildLocalKustomization",
    cluster: true,
    namespaces: ["fluxns"],
    objects: BUILD_SETUP,
    files: { "podinfo.yaml": BUILD_PODINFO_KS },
    cases: (
      [
        ["build podinfo", "--path ./testdata/build-kustomization/podinfo", PODINFO_RESULT],
        [
          "build podinfo (in-memory)",
          "--path ./testdata/build-kustomization/podinfo --in-memory-build=true",
          PODINFO_RESULT,
        ],
        [
          "build podinfo without service",
          "--path ./testdata/build-kustomization/delete-service",
          "./testdata/build-kustomization/podinfo-without-service-result.yaml",
        ],
        [
          "build deployment and configmap with var substitution",
          "--path ./testdata/build-kustomization/var-substitution",
          VAR_RESULT,
        ],
        [
          "build deployment and configmap with var substitution in dry-run mode",
          "--path ./testdata/build-kustomization/var-substitution --dry-run",
          VAR_RESULT,
        ],
        [
          "build with recursive",
          "--path ./testdata/build-kustomization/podinfo-with-my-app --recursive --local-sources GitRepository/default/podinfo=./testdata/build-kustomization",
          MY_APP_RESULT,
        ],
        [
          "build with recursive in dry-run mode",
          "--path ./testdata/build-kustomization/podinfo-with-my-app --recursive --local-sources GitRepository/default/podinfo=./testdata/build-kustomization --dry-run",
          MY_APP_RESULT,
        ],
        [
          "build with recursive (in-memory)",
          "--path ./testdata/build-kustomization/podinfo-with-my-app --recursive --local-sources GitRepository/default/podinfo=./testdata/build-kustomization --in-memory-build=true",
          MY_APP_RESULT,
        ],
        [
          "build with recursive in dry-run mode (in-memory)",
          "--path ./testdata/build-kustomization/podinfo-with-my-app --recursive --local-sources GitRepository/default/podinfo=./testdata/build-kustomization --in-memory-build=true --dry-run",
          MY_APP_RESULT,
        ],
      ] as const
    ).reduce<UpstreamCase[]>(
      (all, [name, rest, golden]) => [
        ...all,
        {
          name,
          args: `build kustomization podinfo --kustomization-file {{ file:podinfo.yaml }} ${rest} -n {{ .fluxns }}`,
          expect: { golden, tmpl: "group" },
        },
      ],
      [
        {
          name: "no args",
          args: "build kustomization podinfo --kustomization-file ./wrongfile/ --path ./testdata/build-kustomization/podinfo -n {{ .fluxns }}",
          expect: { error: `invalid kustomization file "./wrongfile/"` },
        },
      ],
    ),
  },
  {
    file: "build_kustomization_test.go",
    test: "TestBuildKustomizationDefaultBuildsAbsolutePathOutsideCwd",
    cluster: true,
    files: {
      "source/kustomization.yaml": OUTSIDE_CWD_KUSTOMIZATION,
      "source/configmap.yaml": OUTSIDE_CWD_CONFIGMAP,
      "app.yaml": outsideCwdKs("default", ""),
    },
    cases: [
      {
        name: "",
        args: "build kustomization app --path {{ file:source }} --kustomization-file {{ file:app.yaml }} --namespace default --dry-run",
        expect: { contains: "name: outside-cwd" },
      },
    ],
  },
  {
    file: "build_kustomization_test.go",
    test: "TestBuildKustomizationPathNormalization",
    cluster: true,
    namespaces: ["fluxns"],
    objects: BUILD_SETUP,
    cases: [
      {
        name: "build with absolute path",
        args: "build kustomization podinfo --path {{ abs:testdata/build-kustomization/podinfo }} -n {{ .fluxns }}",
        expect: { golden: PODINFO_RESULT, tmpl: "group" },
      },
      {
        name: "build with absolute path (in-memory)",
        args: "build kustomization podinfo --path {{ abs:testdata/build-kustomization/podinfo }} --in-memory-build=true -n {{ .fluxns }}",
        expect: { golden: PODINFO_RESULT, tmpl: "group" },
      },
      {
        name: "build with complex relative path (parent dir)",
        args: "build kustomization podinfo --path ./testdata/build-kustomization/../build-kustomization/podinfo -n {{ .fluxns }}",
        expect: { golden: PODINFO_RESULT, tmpl: "group" },
      },
      {
        name: "build with path containing redundant separators",
        args: "build kustomization podinfo --path ./testdata//build-kustomization//podinfo -n {{ .fluxns }}",
        expect: { golden: PODINFO_RESULT, tmpl: "group" },
      },
    ],
  },
  {
    file: "diff_kustomization_test.go",
    test: "TestDiffKustomization",
    cluster: true,
    namespaces: ["fluxns"],
    objects: BUILD_SETUP,
    cases: [
      {
        name: "no args",
        args: "diff kustomization podinfo -n {{ .fluxns }}",
        expect: { error: `invalid resource path ""` },
      },
      {
        name: "diff nothing deployed",
        args: `${DIFF} -n {{ .fluxns }}`,
        expect: { golden: "./testdata/diff-kustomization/diff-new-kustomization.golden" },
      },
      ...(
        [
          ["diff with a deployment object", "deployment.yaml", "diff-with-deployment.golden"],
          ["diff with a drifted service object", "service.yaml", "diff-with-drifted-service.golden"],
          ["diff with a drifted secret object", "secret.yaml", "diff-with-drifted-secret.golden"],
          [
            "diff with a drifted key in sops secret object",
            "key-sops-secret.yaml",
            "diff-with-drifted-key-sops-secret.golden",
          ],
          [
            "diff with a drifted value in sops secret object",
            "value-sops-secret.yaml",
            "diff-with-drifted-value-sops-secret.golden",
          ],
          [
            "diff with a sops dockerconfigjson secret object",
            "dockerconfigjson-sops-secret.yaml",
            "diff-with-dockerconfigjson-sops-secret.golden",
          ],
          [
            "diff with a sops stringdata secret object",
            "stringdata-sops-secret.yaml",
            "diff-with-drifted-stringdata-sops-secret.golden",
          ],
        ] as const
      ).map(([name, object, golden]) => ({
        name,
        args: `${DIFF} -n {{ .fluxns }}`,
        apply: `./testdata/diff-kustomization/${object}`,
        expect: { golden: `./testdata/diff-kustomization/${golden}` },
      })),
      {
        name: "diff where kustomization file has multiple objects with the same name",
        args: `${DIFF} --kustomization-file ./testdata/diff-kustomization/flux-kustomization-multiobj.yaml -n {{ .fluxns }}`,
        expect: { golden: "./testdata/diff-kustomization/diff-new-kustomization.golden" },
      },
      {
        name: "diff with recursive",
        args: "diff kustomization podinfo --path ./testdata/build-kustomization/podinfo-with-my-app --progress-bar=false --recursive --local-sources GitRepository/default/podinfo=./testdata/build-kustomization -n {{ .fluxns }}",
        apply: "./testdata/diff-kustomization/my-app.yaml",
        expect: { golden: "./testdata/diff-kustomization/diff-with-recursive.golden" },
      },
    ],
  },
  {
    file: "diff_kustomization_test.go",
    test: "TestDiffKustomizationNotDeployed",
    cluster: true,
    namespaces: ["fluxns"],
    createNamespaces: ["fluxns"],
    cases: [
      {
        name: "fails without --ignore-not-found",
        args: `${DIFF} --kustomization-file ./testdata/diff-kustomization/flux-kustomization-local-only.yaml -n {{ .fluxns }}`,
        expect: {
          error: `failed to get kustomization object: kustomizations.kustomize.toolkit.fluxcd.io "podinfo" not found`,
        },
      },
      {
        name: "succeeds with --ignore-not-found and --kustomization-file",
        args: `${DIFF} --kustomization-file ./testdata/diff-kustomization/flux-kustomization-local-only.yaml --ignore-not-found -n {{ .fluxns }}`,
        expect: { golden: "./testdata/diff-kustomization/diff-new-kustomization.golden" },
      },
    ],
  },
  {
    file: "diff_kustomization_test.go",
    test: "TestDiffKustomizationDefaultBuildsAbsolutePathOutsideCwd",
    cluster: true,
    namespaces: ["fluxns", "target"],
    createNamespaces: ["fluxns", "target"],
    files: {
      "source/kustomization.yaml": OUTSIDE_CWD_KUSTOMIZATION,
      "source/configmap.yaml": OUTSIDE_CWD_CONFIGMAP,
      "app.yaml": outsideCwdKs("{{ .fluxns }}", "{{ .target }}"),
    },
    cases: [
      {
        name: "",
        args: "diff kustomization app --path {{ file:source }} --kustomization-file {{ file:app.yaml }} --ignore-not-found --progress-bar=false -n {{ .fluxns }}",
        expect: { contains: "ConfigMap/{{ .target }}/outside-cwd created" },
      },
    ],
  },
  {
    file: "diff_kustomization_test.go",
    test: "TestDiffKustomizationTakeOwnership",
    cluster: true,
    namespaces: ["fluxns"],
    createNamespaces: ["fluxns"],
    cases: [
      {
        name: "",
        apply: "./testdata/diff-kustomization/existing-configmap.yaml",
        args: "diff kustomization configmaps --path ./testdata/build-kustomization/configmaps --progress-bar=false --kustomization-file ./testdata/diff-kustomization/flux-kustomization-configmaps.yaml --ignore-not-found -n {{ .fluxns }}",
        expect: { golden: "./testdata/diff-kustomization/diff-taking-ownership.golden" },
      },
    ],
  },
  {
    file: "diff_kustomization_test.go",
    test: "TestDiffKustomizationNewNamespaceAndConfigmap",
    cluster: true,
    namespaces: ["fluxns"],
    createNamespaces: ["fluxns"],
    cases: [
      {
        name: "",
        args: "diff kustomization new-namespace-and-configmap --path ./testdata/build-kustomization/new-namespace-and-configmap --progress-bar=false --kustomization-file ./testdata/diff-kustomization/flux-kustomization-new-namespace-and-configmap.yaml --ignore-not-found -n {{ .fluxns }}",
        expect: { error: `ConfigMap/new-ns/app-config not found: namespaces "new-ns" not found` },
      },
    ],
  },
  {
    file: "diff_kustomization_test.go",
    test: "TestDiffKustomizationNewNamespaceOnly",
    cluster: true,
    namespaces: ["fluxns"],
    createNamespaces: ["fluxns"],
    cases: [
      {
        name: "",
        args: "diff kustomization new-namespace-only --path ./testdata/build-kustomization/new-namespace-only --progress-bar=false --kustomization-file ./testdata/diff-kustomization/flux-kustomization-new-namespace-only.yaml --ignore-not-found -n {{ .fluxns }}",
        expect: { golden: "./testdata/diff-kustomization/diff-new-namespace-only.golden" },
      },
    ],
  },
  {
    file: "diff_kustomization_test.go",
    test: "TestDiffKustomizationDriftIgnoreRules",
    cluster: true,
    namespaces: ["fluxns"],
    createNamespaces: ["fluxns"],
    cases: [
      {
        name: "",
        apply: "./testdata/diff-kustomization/drifted-service-no-labels.yaml",
        args: `${DIFF} --kustomization-file ./testdata/diff-kustomization/flux-kustomization-drift-ignore.yaml --ignore-not-found -n {{ .fluxns }}`,
        expect: { golden: "./testdata/diff-kustomization/diff-with-drift-ignore.golden" },
      },
    ],
  },
  {
    file: "debug_helmrelease_test.go",
    test: "TestDebugHelmRelease",
    cluster: true,
    namespaces: ["fluxns"],
    objects: ["testdata/debug_helmrelease/objects.yaml"],
    cases: (
      [
        [
          "debug status",
          "debug helmrelease test-values-inline --show-status --show-values=false",
          "status.golden.yaml",
        ],
        [
          "debug values",
          "debug helmrelease test-values-inline --show-values --show-status=false",
          "values-inline.golden.yaml",
        ],
        [
          "debug values from",
          "debug helmrelease test-values-from --show-values --show-status=false",
          "values-from.golden.yaml",
        ],
        [
          "debug history",
          "debug helmrelease test-with-history --show-history --show-status=false",
          "history.golden.yaml",
        ],
        [
          "debug history empty",
          "debug helmrelease test-values-inline --show-history --show-status=false",
          "history-empty.golden.yaml",
        ],
      ] as const
    ).map(([name, arg, golden]) => ({
      name,
      args: `${arg} -n={{ .fluxns }}`,
      expect: { golden: `testdata/debug_helmrelease/${golden}`, tmpl: "group" as const },
    })),
  },
  {
    file: "debug_kustomization_test.go",
    test: "TestDebugKustomization",
    cluster: true,
    namespaces: ["fluxns"],
    objects: ["testdata/debug_kustomization/objects.yaml"],
    cases: (
      [
        ["debug status", "debug ks test --show-status --show-vars=false", "status.golden.yaml"],
        ["debug vars", "debug ks test --show-vars --show-status=false", "vars.golden.env"],
        ["debug vars from", "debug ks test-from --show-vars --show-status=false", "vars-from.golden.env"],
        ["debug history", "debug ks test-with-history --show-history --show-status=false", "history.golden.yaml"],
        ["debug history empty", "debug ks test --show-history --show-status=false", "history-empty.golden.yaml"],
      ] as const
    ).map(([name, arg, golden]) => ({
      name,
      args: `${arg} -n={{ .fluxns }}`,
      expect: { golden: `testdata/debug_kustomization/${golden}`, tmpl: "group" as const },
    })),
  },
  {
    file: "diff_artifact_test.go",
    test: "TestDiffArtifact",
    cluster: false,
    cases: [
      {
        name: "should not fail if there is no diff",
        push: "push artifact oci://{{ registry }}/podinfo:1.0.0 --path=./testdata/diff-artifact/deployment.yaml --source=test --revision=test",
        args: "diff artifact  oci://{{ registry }}/podinfo:1.0.0 --path=./testdata/diff-artifact/deployment.yaml",
        expect: { golden: "testdata/diff-artifact/success.golden" },
      },
      {
        name: "should fail if there is a diff",
        push: "push artifact oci://{{ registry }}/podinfo:2.0.0 --path=./testdata/diff-artifact/deployment.yaml --source=test --revision=test",
        args: "diff artifact oci://{{ registry }}/podinfo:2.0.0 --path=./testdata/diff-artifact/deployment-diff.yaml",
        expect: { error: "the remote artifact contents differs from the local one" },
      },
    ],
  },
  // plugin_test.go: the plugin handler's FLUXCD_PLUGINS points at the test's temporary directory.
  {
    file: "plugin_test.go",
    test: "TestPluginAppearsInHelp",
    cluster: false,
    files: { "plugins/flux-testplugin": "#!/bin/sh\necho test" },
    executables: ["plugins/flux-testplugin"],
    cases: [
      {
        name: "",
        args: "--help",
        env: { FLUXCD_PLUGINS: "{{ file:plugins }}" },
        expect: { contains: ["Plugin Commands:", "testplugin"] },
      },
    ],
  },
  {
    file: "plugin_test.go",
    test: "TestPluginListOutput",
    cluster: false,
    files: { "plugins/flux-myplugin": "#!/bin/sh\necho test" },
    executables: ["plugins/flux-myplugin"],
    cases: [
      {
        name: "",
        args: "plugin list",
        env: { FLUXCD_PLUGINS: "{{ file:plugins }}" },
        expect: { contains: ["myplugin", "manual"] },
      },
    ],
  },
  {
    file: "plugin_test.go",
    test: "TestPluginListWithReceipt",
    cluster: false,
    files: {
      "plugins/flux-myplugin": "#!/bin/sh\necho test",
      "plugins/flux-myplugin.yaml": 'name: myplugin\nversion: "1.2.3"\n',
    },
    executables: ["plugins/flux-myplugin"],
    cases: [
      {
        name: "",
        args: "plugin list",
        env: { FLUXCD_PLUGINS: "{{ file:plugins }}" },
        expect: { contains: "1.2.3" },
      },
    ],
  },
  {
    file: "plugin_test.go",
    test: "TestPluginListEmpty",
    cluster: false,
    files: { plugins: null },
    cases: [
      {
        name: "",
        args: "plugin list",
        env: { FLUXCD_PLUGINS: "{{ file:plugins }}" },
        expect: { contains: "No plugins found" },
      },
    ],
  },
  {
    file: "plugin_test.go",
    test: "TestPluginSkipsPersistentPreRun",
    cluster: false,
    // upstream runs with the real handler; an empty directory stands in for the user's
    files: { plugins: null },
    cases: [
      { name: "", args: "plugin list", env: { FLUXCD_PLUGINS: "{{ file:plugins }}" }, expect: { success: true } },
    ],
  },
];

/** Upstream's command-line tests that are not (yet) driven here, by why. */
export type NotDrivenReason =
  | "missing-command" // a command tsflux does not have yet (a later helper adds it)
  | "e2e" // needs the running Flux controllers (upstream's e2e build tag)
  | "go-internal" // calls Go functions directly (fake clientsets, flag structs), not the CLI
  | "failing" // driven, and tsflux does not match upstream byte for byte yet
  | "deliberate"; // driven, and tsflux differs on purpose (README lists why)

export function caseId(g: UpstreamGroup, c: UpstreamCase): string {
  return `${g.file}:${g.test}${c.name ? `/${c.name}` : ""}`;
}
