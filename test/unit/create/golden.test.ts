// Byte-exact --export output of `flux create ...`, run through the real command tree.
// Goldens under test/golden/tsflux/create/: the four upstream references, upstream's own
// testdata outputs, and one file per flag that changes the output.
// UPDATE_GOLDEN=1 rewrites missing/changed goldens (test/support/golden.ts; never under CI).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectGolden } from "../../support/golden.js";
import { runCli } from "../../helpers/cli.js";

const GOLDEN = join(__dirname, "../../golden/tsflux/create");
const FX = join(GOLDEN, "fixtures");
/** a matching certificate and key pair from upstream's testdata */
const TLS = join(__dirname, "../../golden/upstream/testdata/create_secret/tls");

/** [golden file, command line, expected stderr] */
const cases: [string, string, string?][] = [
  // the reference outputs of upstream flux v2.9 (/work/shared/reference)
  [
    "source-git-export.yaml",
    "create source git podinfo --url=https://github.com/stefanprodan/podinfo --branch=master --sparse-checkout-paths .cosign,non-existent-dir/ --ignore-paths .cosign,non-existent-dir/ -n default --interval 1m --export --timeout=10s",
  ],
  [
    "source-git-semver.yaml",
    "create source git podinfo --namespace=flux-system --url=https://github.com/stefanprodan/podinfo --tag-semver=v1.01 --interval=1m0s --export",
  ],
  ["tenant-basic.yaml", "create tenant dev-team --with-namespace=apps --cluster-role=cluster-admin --export"],
  [
    "image-update-no-signing.yaml",
    "create image update flux-system --git-repo-ref=flux-system --checkout-branch=main --author-name=flux --author-email=flux@example.com --interval=1m0s --namespace=flux-system --export",
  ],
  // upstream testdata outputs
  [
    "hr-basic.yaml",
    "create helmrelease podinfo --source Helmrepository/podinfo --chart podinfo --interval=1m0s --export",
  ],
  ["hr-chartref-oci.yaml", "create helmrelease podinfo --chart-ref OCIRepository/podinfo --interval=1m0s --export"],
  [
    "ks-sops-decryption.yaml",
    "create kustomization mysql --source=GitRepository/apps --path=./apps --decryption-provider=sops --decryption-secret=sops-age --export",
  ],
  [
    "image-update-signing-ssh.yaml",
    "create image update flux-system --git-repo-ref=flux-system --checkout-branch=main --author-name=flux --author-email=flux@example.com --signing-key-secret=my-deploy-key --signing-key-type=ssh --interval=1m0s --namespace=flux-system --export",
  ],
  [
    "tenant-with-service-account.yaml",
    "create tenant dev-team --with-namespace=apps --cluster-role=cluster-admin --with-service-account=flux-tenant --export",
  ],
  [
    "tenant-with-skip-namespace.yaml",
    "create tenant dev-team --with-namespace=apps --cluster-role=cluster-admin --skip-namespace --export",
  ],
  [
    "source-git-provider-github.yaml",
    "create source git podinfo --url=https://github.com/stefanprodan/podinfo --branch=test --provider=github --secret-ref=appinfo --export",
  ],
  [
    "secret-git-basic.yaml",
    "create secret git podinfo-auth --url=https://github.com/stefanprodan/podinfo --username=my-username --password=my-password --namespace=my-namespace --export",
  ],
  [
    "secret-git-bearer-token.yaml",
    "create secret git bearer-token-auth --url=https://github.com/stefanprodan/podinfo --bearer-token=ghp_baR2qnFF0O41WlucePL3udt2N9vVZS4R0hAS --namespace=my-namespace --export",
  ],
  [
    "secret-git-ca-crt.yaml",
    `create secret git ca-crt --url=https://github.com/stefanprodan/podinfo --password=my-password --username=my-username --ca-crt-file=${FX}/ca-data.crt --namespace=my-namespace --export`,
  ],
  [
    "secret-proxy.yaml",
    "create secret proxy proxy-secret --address=https://my-proxy.com --username=my-username --password=my-password --namespace=my-namespace --export",
  ],
  [
    "secret-receiver.yaml",
    "create secret receiver receiver-secret --type=github --token=test-token --hostname=flux.example.com --namespace=my-namespace --export",
  ],
  [
    "secret-receiver-gcr-audience.yaml",
    "create secret receiver gcr-secret --type=gcr --token=test-token --hostname=flux.example.com --email-claim=sa@project.iam.gserviceaccount.com --audience-claim=https://custom.audience.example.com --namespace=my-namespace --export",
  ],
  [
    "secret-notation-multi.yaml",
    `create secret notation notation-config --ca-cert-file=${FX}/ca.crt,${FX}/ca.pem --trust-policy-file=${FX}/trustpolicy.json --namespace=my-namespace --export`,
  ],
  [
    "source-git-commit-upstream.yaml",
    "create source git podinfo --namespace=flux-system --url=https://github.com/stefanprodan/podinfo --commit=c88a2f41 --interval=1m0s --export",
  ],
  [
    "source-git-provider-generic.yaml",
    "create source git podinfo --url=https://github.com/stefanprodan/podinfo --branch=test --provider=generic --export",
  ],
  // every flag that changes the output
  [
    "source-git-branch.yaml",
    "create source git podinfo --url=https://github.com/stefanprodan/podinfo --branch=main --export",
  ],
  [
    "source-git-tag.yaml",
    "create source git podinfo --url=https://github.com/stefanprodan/podinfo --tag=6.0.0 --export",
  ],
  [
    "source-git-commit.yaml",
    "create source git podinfo --url=https://github.com/stefanprodan/podinfo --branch=main --commit=c88a2f41 --export",
  ],
  [
    "source-git-refname.yaml",
    "create source git podinfo --url=https://github.com/stefanprodan/podinfo --ref-name=refs/heads/main --export",
  ],
  [
    "source-git-full.yaml",
    "create source git podinfo --url=ssh://git@github.com/stefanprodan/podinfo --branch=main --secret-ref=ssh-creds --proxy-secret-ref=proxy --recurse-submodules --fetch-timeout=2m --interval=10m --label=env=prod,team=a --export",
  ],
  [
    "source-helm.yaml",
    "create source helm podinfo --url=https://stefanprodan.github.io/podinfo --interval=10m --export",
  ],
  [
    "source-helm-full.yaml",
    "create source helm podinfo --url=https://stefanprodan.github.io/podinfo --secret-ref=creds --pass-credentials --fetch-timeout=1m --label=a=b --export",
  ],
  [
    "source-helm.yaml",
    "create source helm podinfo --url=https://stefanprodan.github.io/podinfo --interval=10m --pass-credentials --export",
  ],
  [
    "source-helm-oci.yaml",
    "create source helm podinfo --url=oci://ghcr.io/stefanprodan/charts --oci-provider=azure --export",
  ],
  [
    "source-oci.yaml",
    "create source oci podinfo --url=oci://ghcr.io/stefanprodan/manifests/podinfo --tag=6.1.6 --interval 10m --export",
  ],
  [
    "source-oci-full.yaml",
    "create source oci podinfo --url=oci://ghcr.io/stefanprodan/manifests/podinfo --tag-semver=6.x --digest=sha256:abc --provider=aws --secret-ref=creds --service-account=sa --cert-ref=certs --proxy-secret-ref=proxy --ignore-paths=a,b --insecure --verify-provider=cosign --verify-secret-ref=keys --verify-subject=s --verify-issuer=i --fetch-timeout=30s --export",
  ],
  [
    "source-bucket.yaml",
    "create source bucket podinfo --bucket-name=podinfo --endpoint=minio.minio.svc.cluster.local:9000 --insecure --interval=10m --export",
  ],
  [
    "source-bucket-full.yaml",
    "create source bucket podinfo --bucket-name=podinfo --endpoint=s3.amazonaws.com --provider=aws --region=us-east-1 --secret-ref=creds --proxy-secret-ref=proxy --ignore-paths=a --export",
  ],
  ["source-chart.yaml", "create source chart podinfo --source helmrepository/podinfo --chart podinfo --export"],
  [
    "source-chart-verify.yaml",
    "create source chart podinfo --source helmrepository/podinfo --chart podinfo --verify-provider cosign --verify-issuer foo --verify-subject bar --export",
  ],
  [
    "source-chart-full.yaml",
    "create source chart podinfo --source=GitRepository/podinfo --chart=./charts/podinfo --chart-version=6.x --reconcile-strategy=Revision --verify-provider=cosign --verify-secret-ref=keys --export",
  ],
  [
    "ks-basic.yaml",
    "create kustomization podinfo --source=podinfo --path=./kustomize --prune=true --interval=5m --export",
  ],
  [
    "ks-cross-namespace.yaml",
    "create ks podinfo -n default --source=OCIRepository/podinfo.flux-system --target-namespace=default --prune --export",
  ],
  [
    "ks-wait.yaml",
    "create kustomization kyverno --source=GitRepository/kyverno --path=config/release --prune=true --interval=60m --wait=true --health-check-timeout=3m --export",
  ],
  [
    "ks-health-checks.yaml",
    "create kustomization apps --source=Bucket/apps --health-check=Deployment/podinfo.default,HelmRelease/redis.data --depends-on=infra,flux-system/crds --export",
  ],
  [
    "ks-full.yaml",
    "create kustomization apps --source=apps --path=./deploy/../apps/./prod --service-account=reconciler --kubeconfig-secret-ref=kubeconfig --retry-interval=2m --decryption-provider=sops --label=a=b --export",
  ],
  [
    "hr-full.yaml",
    "create helmrelease podinfo --source=HelmRepository/podinfo.flux-system --chart=podinfo --chart-version=>4.0.0 --release-name=podinfo-dev --target-namespace=test --storage-namespace=store --create-target-namespace --service-account=sa --crds=CreateReplace --chart-interval=10m --depends-on=infra/redis --kubeconfig-secret-ref=kc --values-from=secret/my-values,ConfigMap/cm --export",
  ],
  [
    "hr-values.yaml",
    `create hr podinfo --source=GitRepository/podinfo --chart=./charts/podinfo --reconcile-strategy=Revision --values=${FX}/values1.yaml --values=${FX}/values2.yaml --export`,
  ],
  [
    "hr-chartref-helmchart.yaml",
    "create helmrelease podinfo -n default --chart-ref HelmChart/podinfo.flux-system --export",
  ],
  ["image-repository.yaml", "create image repository alpine-repo --image alpine --interval 20m --export"],
  [
    "image-repository-full.yaml",
    "create image repository app-repo --image=registry.example.com/private/app --secret-ref=pull --cert-ref=certs --scan-timeout=1m --export",
  ],
  ["image-policy-semver.yaml", "create image policy podinfo --image-ref=podinfo --select-semver=>=1.0.0 --export"],
  [
    "image-policy-numeric.yaml",
    "create image policy podinfo --image-ref=podinfo --select-numeric=asc --filter-regex=^main-[a-f0-9]+-(?P<ts>[0-9]+) --filter-extract=$ts --export",
  ],
  [
    "image-policy-alpha.yaml",
    "create image policy podinfo --image-ref=podinfo --select-alpha=desc --reflect-digest=Always --interval=5m --export",
  ],
  [
    "image-update-full.yaml",
    "create image update apps --namespace=apps --git-repo-ref=flux-system --git-repo-namespace=flux-system --git-repo-path=./clusters/my-cluster --checkout-branch=main --push-branch=image-updates --author-name=flux --author-email=flux@example.com '--commit-template={{range .Updated.Images}}{{println .}}{{end}}' --export",
  ],
  [
    "alert.yaml",
    "create alert podinfo --provider-ref=slack --event-source=GitRepository/podinfo,Kustomization/apps.flux-system --event-severity=error --export",
  ],
  [
    "alert-provider.yaml",
    "create alert-provider slack --type slack --channel general --address https://hooks.slack.com/services/YOUR/SLACK/WEBHOOK --secret-ref webhook-url --export",
  ],
  [
    "alert-provider-github.yaml",
    "create alert-provider github-podinfo --type github --address https://github.com/stefanprodan/podinfo --secret-ref github-token --username flux --label a=b --export",
  ],
  [
    "receiver.yaml",
    "create receiver github-receiver --type github --event ping --event push --secret-ref webhook-token --resource GitRepository/webapp --resource HelmRepository/webapp --export",
  ],
  [
    "tenant-multi.yaml",
    "create tenant dev-team --with-namespace=frontend --with-namespace=backend --label=environment=dev --cluster-role=custom-role --export",
  ],
  [
    "secret-git-password-only.yaml",
    "create secret git podinfo-auth --url=https://github.com/stefanprodan/podinfo --password=token --label=a=b --export",
  ],
  [
    "secret-helm-tls.yaml",
    `create secret helm helm-secret --tls-crt-file=${TLS}/test-cert.pem --tls-key-file=${TLS}/test-key.pem --ca-crt-file=${FX}/ca-data.crt --export`,
  ],
  [
    "secret-tls.yaml",
    `create secret tls certs --tls-crt-file=${FX}/ca.crt --tls-key-file=${FX}/ca.pem --ca-crt-file=${FX}/ca-data.crt --namespace=my-namespace --export`,
  ],
  ["secret-tls-ca-only.yaml", `create secret tls certs --ca-crt-file=${FX}/ca-data.crt --export`],
  [
    "secret-githubapp.yaml",
    `create secret githubapp appinfo --app-id=1 --app-installation-id=2 --app-private-key=${FX}/ca.pem --app-base-url=www.example.com/api/v3 --namespace=my-namespace --export`,
  ],
  [
    "secret-tls-deprecated.yaml",
    `create secret tls certs --cert-file=${FX}/ca.crt --key-file=${FX}/ca.pem --ca-file=${FX}/ca-data.crt --namespace=my-namespace --export`,
    "Flag --cert-file has been deprecated, please use --tls-crt-file instead\n" +
      "Flag --key-file has been deprecated, please use --tls-key-file instead\n" +
      "Flag --ca-file has been deprecated, please use --ca-crt-file instead\n",
  ],
  [
    "secret-helm-deprecated-tls.yaml",
    `create secret helm repo -u user -p pass --cert-file=${TLS}/test-cert.pem --key-file=${TLS}/test-key.pem --export`,
    "Flag --cert-file has been deprecated, please use the command `flux create secret tls` to generate TLS secrets\n" +
      "Flag --key-file has been deprecated, please use the command `flux create secret tls` to generate TLS secrets\n",
  ],
  [
    "hr-values-yaml11.yaml",
    `create hr podinfo --source=HelmRepository/podinfo --chart=podinfo --values=${FX}/values3.yaml --export`,
  ],
  [
    "secret-oci-url.yaml",
    "create secret oci ghcr --url=ghcr.io/stefanprodan/charts -u user -p pass --label=ignored=yes --export",
  ],
];

/** Splits on spaces; single quotes group words (no escapes needed here). */
function split(cmd: string): string[] {
  const out: string[] = [];
  for (const m of cmd.matchAll(/(?:[^\s']+|'[^']*')+/g)) out.push(m[0].replace(/'([^']*)'/g, "$1"));
  return out;
}

describe("flux create --export golden files", () => {
  for (const [file, cmd, stderr] of cases) {
    it(`${file}: flux ${cmd.replaceAll(FX, "<fixtures>")}`, async () => {
      const res = await runCli(split(cmd));
      expect(res.stderr.replace(/^✚ generating HelmChart source\n/, "")).toBe(stderr ?? "");
      expect(res.code).toBe(0);
      expectGolden(res.stdout, join(GOLDEN, file));
    });
  }
});
