// Bad input to `flux create ...`: upstream's message, exit code 1, nothing on stdout.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";

const FX = join(__dirname, "../../golden/tsflux/create/fixtures");

// The command lines the cases share, each completed by the flags a case is about.
const gitSource = ["create", "source", "git", "podinfo"];
const sshGitSource = [...gitSource, "--url=ssh://git@github.com/x/y", "--branch=main"];
const chartSource = ["create", "source", "chart", "podinfo", "--source"];
const helmRelease = ["create", "hr", "podinfo", "--chart", "podinfo", "--source=HelmRepository/p"];
const imagePolicy = ["create", "image", "policy", "podinfo", "--image-ref=podinfo"];
const imageUpdate = [
  "create",
  "image",
  "update",
  "flux-system",
  "--git-repo-ref=flux-system",
  "--author-name=flux",
  "--author-email=flux@example.com",
];
const alert = ["create", "alert", "podinfo", "--provider-ref=slack"];
const gitSecret = ["create", "secret", "git", "podinfo-auth"];
const sshGitSecret = [...gitSecret, "--url=ssh://git@github.com/x/y"];
const receiverSecret = ["create", "secret", "receiver", "test-secret"];
const notationSecret = (file: string) => [
  "create",
  "secret",
  "notation",
  "nn",
  `--ca-cert-file=${FX}/${file}`,
  `--trust-policy-file=${FX}/${file}`,
  "--export",
];

const cases: [string, string[]][] = [
  ["name is required", ["create", "source", "git", "--export"]],
  ["name is required", ["create", "tenant"]],
  [
    "name 'Podinfo' is invalid, it should adhere to standard defined in RFC 1123, the name can only contain alphanumeric characters or '-'",
    ["create", "source", "git", "Podinfo", "--url=https://x.io/a", "--branch=main", "--export"],
  ],
  ["url is required", [...gitSource, "--export"]],
  [
    "git URL scheme 'ftp' not supported, can be: ssh, http and https",
    [...gitSource, "--url=ftp://x/y", "--branch=main", "--export"],
  ],
  [
    "a Git ref is required, use one of the following: --branch, --tag, --commit, --ref-name or --tag-semver",
    [...gitSource, "--url=https://github.com/x/y", "--export"],
  ],
  ["specifying a CA file is not supported for Git over SSH", [...sshGitSource, "--ca-file=ca.crt", "--export"]],
  [
    "invalid label format 'a', must be key=value",
    [...gitSource, "--url=https://x/y", "--branch=m", "--label=a", "--export"],
  ],
  [
    "invalid label format 'a=b=c', must be key=value",
    ["create", "ks", "podinfo", "--source=podinfo", "--label=a=b=c", "--export"],
  ],
  [
    `invalid argument "gitlab" for "--provider" flag: source Git provider 'gitlab' is not supported, must be one of: generic|github|aws|azure`,
    [...gitSource, "--url=https://x.io/a", "--branch=main", "--provider=gitlab", "--export"],
  ],
  [
    `invalid argument "ibm" for "--provider" flag: source bucket provider 'ibm' is not supported, must be one of: generic, aws, azure, gcp`,
    ["create", "source", "bucket", "podinfo", "--bucket-name=b", "--endpoint=e", "--provider=ibm", "--export"],
  ],
  [
    `invalid argument "1001" for "--ssh-rsa-bits" flag: RSA key bit size must be at least 1024`,
    [...sshGitSource, "--ssh-rsa-bits=1001", "--export"],
  ],
  ["url is required", ["create", "source", "oci", "podinfo"]],
  ["--tag, --tag-semver or --digest is required", ["create", "source", "oci", "podinfo", "--url=oci://ghcr.io/x"]],
  [
    "url scheme 'https' not supported, must be oci",
    ["create", "source", "oci", "podinfo", "--url=https://ghcr.io/x", "--tag=1", "--export"],
  ],
  [
    "a verification provider must be specified when a secret is specified",
    ["create", "source", "oci", "podinfo", "--url=oci://ghcr.io/x", "--tag=1", "--verify-secret-ref=k", "--export"],
  ],
  ["url is required", ["create", "source", "helm", "podinfo", "--export"]],
  ["bucket-name is required", ["create", "source", "bucket", "podinfo", "--export"]],
  ["endpoint is required", ["create", "source", "bucket", "podinfo", "--bucket-name=b", "--export"]],
  ["chart source is required", ["create", "source", "chart", "podinfo", "--export"]],
  ["chart name or path is required", [...chartSource, "helmrepository/podinfo", "--export"]],
  [
    `invalid argument "foobar/podinfo" for "--source" flag: source kind 'foobar' is not supported, must be one of: HelmRepository, GitRepository, Bucket`,
    [...chartSource, "foobar/podinfo", "--export"],
  ],
  [
    `invalid argument "foobar" for "--verify-provider" flag: source OCI verify provider 'foobar' is not supported, must be one of: cosign`,
    [...chartSource, "helmrepository/podinfo", "--chart", "podinfo", "--verify-provider", "foobar", "--export"],
  ],
  ["source is required", ["create", "kustomization", "my-app", "--path=./deploy", "--export"]],
  [
    `invalid argument "Foo/bar" for "--source" flag: source kind 'Foo' is not supported, must be one of: OCIRepository, GitRepository, Bucket`,
    ["create", "kustomization", "my-app", "--source=Foo/bar", "--export"],
  ],
  [
    "invalid health check kind 'Pod' can be HelmRelease, Deployment, DaemonSet or StatefulSet",
    ["create", "kustomization", "my-app", "--source=app", "--health-check=Pod/x.y", "--export"],
  ],
  [
    "invalid health check 'Deployment/x' must be in the format 'kind/name.namespace'",
    ["create", "kustomization", "my-app", "--source=app", "--health-check=Deployment/x", "--export"],
  ],
  [
    `invalid argument "5x" for "--interval" flag: time: unknown unit "x" in duration "5x"`,
    ["create", "ks", "my-app", "--source=app", "--interval=5x", "--export"],
  ],
  ["chart or chart-ref is required", ["create", "helmrelease", "podinfo", "--export"]],
  [
    "cannot use --chart in combination with --chart-ref",
    ["create", "helmrelease", "podinfo", "--chart", "podinfo", "--chart-ref", "foobar/podinfo", "--export"],
  ],
  [
    `invalid argument "foobar/podinfo" for "--source" flag: source kind 'foobar' is not supported, must be one of: HelmRepository, GitRepository, Bucket`,
    ["create", "helmrelease", "podinfo", "--source", "foobar/podinfo", "--chart", "podinfo", "--export"],
  ],
  [
    "chart reference kind 'foobar' is not supported, must be one of: OCIRepository, HelmChart",
    ["create", "helmrelease", "podinfo", "--chart-ref", "foobar/podinfo", "--export"],
  ],
  [
    "'Always' is an invalid reconcile strategy(valid: Revision, ChartVersion)",
    [...helmRelease, "--reconcile-strategy=Always", "--export"],
  ],
  [
    `invalid argument "Maybe" for "--crds" flag: unsupported upgrade CRDs policy 'Maybe', must be one of: Skip, Create, CreateReplace`,
    [...helmRelease, "--crds=Maybe", "--export"],
  ],
  [
    "reference kind 'Pod' is not supported, must be one of: Secret, ConfigMap",
    [...helmRelease, "--values-from=Pod/x", "--export"],
  ],
  [
    "reading values from /does/not/exist.yaml failed: open /does/not/exist.yaml: no such file or directory",
    [...helmRelease, "--values=/does/not/exist.yaml", "--export"],
  ],
  ["an image repository (--image) is required", ["create", "image", "repository", "podinfo", "--export"]],
  [
    "the name of an ImageRepository in the namespace is required (--image-ref)",
    ["create", "image", "policy", "podinfo", "--select-semver=1.x", "--export"],
  ],
  ["a policy must be provided with either --select-semver or --select-alpha", [...imagePolicy, "--export"]],
  [`--select-alpha must be one of ["asc", "desc"]`, [...imagePolicy, "--select-alpha=up", "--export"]],
  ["invalid semver range '>>1': improper constraint: >>1", [...imagePolicy, "--select-semver=>>1", "--export"]],
  [
    "cannot specify --filter-extract without specifying --filter-regex",
    [...imagePolicy, "--select-numeric=asc", "--filter-extract=$ts", "--export"],
  ],
  [
    "--signing-key-type requires --signing-key-secret",
    [...imageUpdate, "--checkout-branch=main", "--signing-key-type=ssh", "--export"],
  ],
  [
    "--signing-key-type must be one of: gpg, ssh",
    [...imageUpdate, "--checkout-branch=main", "--signing-key-secret=k", "--signing-key-type=pgp", "--export"],
  ],
  ["the Git repository branch is required (--checkout-branch)", [...imageUpdate, "--export"]],
  [
    "capture group $ts used in --filter-extract not found in --filter-regex",
    [...imagePolicy, "--select-numeric=asc", "--filter-regex=^main-(?P<t>[0-9]+)", "--filter-extract=$ts", "--export"],
  ],
  [
    "only one of --select-semver, --select-alpha or --select-numeric can be specified",
    [...imagePolicy, "--select-alpha=asc", "--select-numeric=asc", "--export"],
  ],
  [
    "unable to parse image value: repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: Alpine",
    ["create", "image", "repository", "alpine", "--image=Alpine", "--export"],
  ],
  [
    "a reference to a GitRepository is required (--git-repo-ref)",
    ["create", "image", "update", "flux-system", "--export"],
  ],
  ["provider ref is required", ["create", "alert", "podinfo", "--export"]],
  ["at least one event source is required", [...alert, "--export"]],
  [
    "event severity 'warn' is not supported, must be one of: info, error",
    [...alert, "--event-source=GitRepository/x", "--event-severity=warn", "--export"],
  ],
  ["invalid event source 'podinfo', must be in format <kind>/<name>", [...alert, "--event-source=podinfo", "--export"]],
  ["Provider type is required", ["create", "alert-provider", "slack", "--export"]],
  ["Receiver type is required", ["create", "receiver", "github", "--export"]],
  ["secret ref is required", ["create", "receiver", "github", "--type=github", "--export"]],
  ["atleast one resource is required", ["create", "receiver", "github", "--type=github", "--secret-ref=s", "--export"]],
  ["with-namespace is required", ["create", "tenant", "dev-team", "--cluster-role=cluster-admin"]],
  ["url is required", [...gitSecret, "--export"]],
  [
    "user credentials and bearer token cannot be used together",
    [
      ...gitSecret,
      "--url=https://github.com/x/y",
      "--username=aaa",
      "--password=zzzz",
      "--bearer-token=aaaa",
      "--export",
    ],
  ],
  [
    "for Git over HTTP/S the username and password, or a bearer token is required",
    [...gitSecret, "--url=https://github.com/x/y", "--export"],
  ],
  [
    `invalid argument "dsa" for "--ssh-key-algorithm" flag: unsupported public key algorithm 'dsa', must be one of: rsa, ecdsa, ed25519`,
    [...sshGitSecret, "--ssh-key-algorithm=dsa", "--export"],
  ],
  [
    `invalid argument "p128" for "--ssh-ecdsa-curve" flag: unsupported curve 'p128', must be one of: p256, p384, p521`,
    [...sshGitSecret, "--ssh-ecdsa-curve=p128", "--export"],
  ],
  [
    "unable to read the private key file: open /nope/key: no such file or directory",
    [...sshGitSecret, "--private-key-file=/nope/key", "--export"],
  ],
  ["--type is required", [...receiverSecret, "--token=t", "--hostname=h"]],
  [
    `invalid argument "invalid" for "--type" flag: receiver type 'invalid' is not supported, must be one of: generic, generic-hmac, github, gitlab, bitbucket, harbor, dockerhub, quay, gcr, nexus, acr, cdevents`,
    [...receiverSecret, "--type=invalid", "--token=t", "--hostname=h"],
  ],
  ["--hostname is required", [...receiverSecret, "--type=github", "--token=t"]],
  ["--email-claim is required for gcr receiver type", [...receiverSecret, "--type=gcr", "--token=t", "--hostname=h"]],
  ["--url is required", ["create", "secret", "oci", "ghcr", "--export"]],
  ["address is required", ["create", "secret", "proxy", "proxy", "--export"]],
  ["trustpolicy.json must end with either .crt or .pem", notationSecret("trustpolicy.json")],
  [
    // one line, and the file's content is not quoted back
    `failed to unmarshal trust policy ${FX}/ca.crt: not valid JSON: Unexpected token 'c'`,
    notationSecret("ca.crt"),
  ],
  [
    `invalid argument " " for "--type" flag: no receiver type given, please specify the receiver type`,
    ["create", "secret", "receiver", "hook", "--type= ", "--hostname=h", "--export"],
  ],
  [
    `invalid argument " " for "--type" flag: no receiver type given, please specify the receiver type`,
    ["create", "receiver", "hook", "--type= ", "--secret-ref=s", "--resource=GitRepository/a", "--export"],
  ],
  ["--app-id is required", ["create", "secret", "githubapp", "app", "--export"]],
  [
    "--tls-crt-file and --tls-key-file, or --ca-crt-file are required",
    ["create", "secret", "tls", "certs", "--export"],
  ],
];

describe("flux create: bad input fails with upstream's message and changes nothing", () => {
  for (const [message, argv] of cases) {
    it(`${argv.slice(0, 4).join(" ")}: ${message.slice(0, 60)}`, async () => {
      const res = await runCli(argv);
      expect(res.stderr).toBe(`✗ ${message}\n`);
      expect(res.code).toBe(1);
      expect(res.stdout).toBe("");
    });
  }

  it("never prints a password given for a bad URL", async () => {
    const res = await runCli([
      "create",
      "secret",
      "git",
      "creds",
      "--url=ftp://user:s3cr3t@host/x",
      "--password=hunter2",
      "--export",
    ]);
    expect(res.code).toBe(1);
    expect(res.stderr).not.toContain("s3cr3t");
    expect(res.stderr).not.toContain("hunter2");
  });
});
