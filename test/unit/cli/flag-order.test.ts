// With several bad flags, tsflux names the first in argument order, as pflag does: it
// reads the command line once, left to right, and each flag's value is checked as it is
// read (durations, ints, booleans, upstream's Value types of internal/flags), whichever
// command (root, group or leaf) declares the flag. The expected lines are upstream flux
// v2.9.5's, recorded by hand with bench/'s build on the same command lines.
import { describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";

const UPSTREAM: [string[], string][] = [
  [
    ["create", "kustomization", "podinfo", "--interval=soon", "--timeout=later", "--export"],
    `invalid argument "soon" for "--interval" flag: time: invalid duration "soon"`,
  ],
  [
    ["create", "kustomization", "podinfo", "--timeout=later", "--interval=soon", "--export"],
    `invalid argument "later" for "--timeout" flag: time: invalid duration "later"`,
  ],
  [
    ["create", "kustomization", "podinfo", "--source=Widget/podinfo", "--interval=soon", "--export"],
    `invalid argument "Widget/podinfo" for "--source" flag: source kind 'Widget' is not supported, must be one of: OCIRepository, GitRepository, Bucket`,
  ],
  [
    ["create", "kustomization", "podinfo", "--decryption-provider=vault", "--interval=soon", "--export"],
    `invalid argument "vault" for "--decryption-provider" flag: unsupported decryption provider 'vault', must be one of: sops`,
  ],
  [
    ["create", "kustomization", "podinfo", "--source=Bucket", "--export"],
    `invalid argument "Bucket" for "--source" flag: no kind specified for source 'Bucket'`,
  ],
  [["create", "kustomization", "podinfo", "--bogus", "--interval=soon"], "unknown flag: --bogus"],
  [
    ["create", "kustomization", "podinfo", "--interval=soon", "--bogus"],
    `invalid argument "soon" for "--interval" flag: time: invalid duration "soon"`,
  ],
  [
    ["create", "kustomization", "podinfo", "--export", "--export=maybe", "--interval=soon"],
    `invalid argument "maybe" for "--export" flag: strconv.ParseBool: parsing "maybe": invalid syntax`,
  ],
  [["create", "kustomization", "podinfo", "-n"], "flag needs an argument: 'n' in -n"],
  [
    ["create", "helmrelease", "podinfo", "--crds=Replace", "--source=podinfo"],
    `invalid argument "Replace" for "--crds" flag: unsupported upgrade CRDs policy 'Replace', must be one of: Skip, Create, CreateReplace`,
  ],
  [
    ["create", "helmrelease", "podinfo", "--source=podinfo", "--crds=Replace"],
    `invalid argument "podinfo" for "--source" flag: invalid helm chart source 'podinfo', must be in format <kind>/<name>`,
  ],
  [
    ["create", "receiver", "podinfo", "--type=jenkins", "--interval=soon"],
    `invalid argument "jenkins" for "--type" flag: receiver type 'jenkins' is not supported, must be one of: generic, generic-hmac, github, gitlab, bitbucket, harbor, dockerhub, quay, gcr, nexus, acr, cdevents`,
  ],
  [
    ["create", "secret", "receiver", "podinfo", "--type=", "--timeout=later"],
    `invalid argument "" for "--type" flag: no receiver type given, please specify the receiver type`,
  ],
  [
    ["create", "secret", "git", "podinfo", "--ssh-key-algorithm=dsa", "--ssh-rsa-bits=1", "--export"],
    `invalid argument "dsa" for "--ssh-key-algorithm" flag: unsupported public key algorithm 'dsa', must be one of: rsa, ecdsa, ed25519`,
  ],
  [
    [
      "create",
      "source",
      "git",
      "podinfo",
      "--url=https://example.com/r",
      "--branch=main",
      "--ssh-rsa-bits=1028",
      "--ssh-key-algorithm=dsa",
      "--export",
    ],
    `invalid argument "1028" for "--ssh-rsa-bits" flag: RSA key bit size must be a multiples of 8`,
  ],
  [
    ["create", "source", "git", "podinfo", "--provider=gitea", "--interval=soon", "--export"],
    `invalid argument "gitea" for "--provider" flag: source Git provider 'gitea' is not supported, must be one of: generic|github|aws|azure`,
  ],
  [
    ["create", "source", "bucket", "podinfo", "--provider=minio", "--interval=soon"],
    `invalid argument "minio" for "--provider" flag: source bucket provider 'minio' is not supported, must be one of: generic, aws, azure, gcp`,
  ],
  [
    ["create", "source", "chart", "podinfo", "--source=podinfo", "--verify-provider=notation"],
    `invalid argument "podinfo" for "--source" flag: invalid helm chart source 'podinfo', must be in format <kind>/<name>`,
  ],
  [
    ["create", "source", "oci", "podinfo", "--verify-provider=notation", "--provider=gcr"],
    `invalid argument "notation" for "--verify-provider" flag: source OCI verify provider 'notation' is not supported, must be one of: cosign`,
  ],
  [
    ["push", "artifact", "oci://example.com/app", "--provider=ecr", "--timeout=later"],
    `invalid argument "ecr" for "--provider" flag: source OCI provider 'ecr' is not supported, must be one of: generic, aws, azure, gcp`,
  ],
  [
    ["build", "kustomization", "podinfo", "--local-sources=GitRepository/flux-system/podinfo", "--path=."],
    `invalid argument "GitRepository/flux-system/podinfo" for "--local-sources" flag: GitRepository/flux-system/podinfo must be formatted as key=value`,
  ],
  [
    ["logs", "--tail=ten", "--since=soon"],
    `invalid argument "ten" for "--tail" flag: strconv.ParseInt: parsing "ten": invalid syntax`,
  ],
  [
    ["get", "kustomizations", "--timeout=later", "--all-namespaces=maybe"],
    `invalid argument "later" for "--timeout" flag: time: invalid duration "later"`,
  ],
  [
    ["get", "kustomizations", "-A=maybe", "--timeout=later"],
    `invalid argument "maybe" for "-A, --all-namespaces" flag: strconv.ParseBool: parsing "maybe": invalid syntax`,
  ],
  [
    ["get", "kustomizations", "--kube-api-qps=fast", "--kube-api-burst=1.5"],
    `invalid argument "fast" for "--kube-api-qps" flag: strconv.ParseFloat: parsing "fast": invalid syntax`,
  ],
  [
    ["get", "kustomizations", '--timeout=a"b'],
    `invalid argument "a\\"b" for "--timeout" flag: time: invalid duration "a\\"b"`,
  ],
  [
    ["bootstrap", "git", "--ssh-rsa-bits=2", "--log-level=trace", "--interval=soon"],
    `invalid argument "2" for "--ssh-rsa-bits" flag: RSA key bit size must be at least 1024`,
  ],
  [
    ["trigger", "receiver", "--retries=x", "--retry-delay=x"],
    `invalid argument "x" for "--retries" flag: strconv.ParseInt: parsing "x": invalid syntax`,
  ],
];

describe("the first bad flag in argument order", () => {
  it.each(UPSTREAM)("flux %j", async (args, message) => {
    const res = await runCli(args);
    expect(res.stderr).toBe(`✗ ${message}\n`);
    expect(res.stdout).toBe("");
    expect(res.code).toBe(1);
  });
});

describe("pflag's local-sources (stringToString)", () => {
  it("one pair keeps its commas; several pairs are one CSV record", async () => {
    const one = await runCli(["build", "kustomization", "podinfo", "--local-sources=a=b,c", "--path=/nonexistent"]);
    expect(one.stderr).not.toContain("--local-sources");
    const several = await runCli([
      "build",
      "kustomization",
      "podinfo",
      '--local-sources="a=b",c=d,e',
      "--path=/nonexistent",
    ]);
    expect(several.stderr).toBe(
      `✗ invalid argument "\\"a=b\\",c=d,e" for "--local-sources" flag: e must be formatted as key=value\n`,
    );
  });
});
