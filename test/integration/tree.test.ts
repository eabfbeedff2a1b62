// `flux tree kustomization` against the real API server: inventories written as
// kustomize-controller would, a Helm storage secret as helm-controller would.
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import {
  applyYaml,
  createNamespace,
  fluxRef,
  kubeRequest,
  setInventory,
  setStatus,
  testKubeConfig,
  testKubeconfigPath,
} from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";
import { expectGolden, tsfluxGolden } from "../support/golden.js";

/** Compares with test/golden/tsflux/tree/<name>; `{{ .fluxns }}` stands for the namespace. */
const expectSnapshot = (actual: string, name: string, ns: string) =>
  expectGolden(actual, tsfluxGolden("tree", name), { fluxns: ns });

let ns: string;
let kubeconfig: string;
const flux = (...args: string[]) => runCli(["--kubeconfig", kubeconfig, ...args]);

const ks = (name: string, namespace: string) => `
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${namespace}}
spec: {interval: 10m, prune: true, path: ./${name}, sourceRef: {kind: GitRepository, name: flux-system}}
`;

beforeAll(async () => {
  kubeconfig = await testKubeconfigPath();
  const kc = await testKubeConfig();
  ns = await createNamespace(kc);
  await applyYaml(
    kc,
    ks("flux-system", ns) +
      "---" +
      ks("apps", ns) +
      `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: ${ns}}
spec:
  interval: 10m
  chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}
`,
  );
  await setInventory(kc, fluxRef("Kustomization", ns, "flux-system"), [
    { name: "alerts.notification.toolkit.fluxcd.io", group: "apiextensions.k8s.io", kind: "CustomResourceDefinition" },
    { name: ns, kind: "Namespace" },
    { namespace: ns, name: "apps", group: "kustomize.toolkit.fluxcd.io", kind: "Kustomization" },
    { namespace: ns, name: "flux-system", group: "kustomize.toolkit.fluxcd.io", kind: "Kustomization" },
    { namespace: ns, name: "flux-system", group: "source.toolkit.fluxcd.io", kind: "GitRepository" },
    { name: "crd-controller-flux-system", group: "rbac.authorization.k8s.io", kind: "ClusterRole" },
    { id: "_system__controller__flux_rbac.authorization.k8s.io_ClusterRoleBinding", v: "v1" },
  ]);
  await setInventory(kc, fluxRef("Kustomization", ns, "apps"), [
    { namespace: ns, name: "podinfo", group: "helm.toolkit.fluxcd.io", kind: "HelmRelease", version: "v2" },
    { namespace: ns, name: "podinfo", group: "source.toolkit.fluxcd.io", kind: "HelmRepository" },
    { namespace: "default", name: "web", group: "apps", kind: "Deployment" },
  ]);
  // What helm-controller leaves behind: the release in Helm's storage secret.
  const release = {
    name: "podinfo",
    manifest: `---
# Source: podinfo/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: podinfo
---
# Source: podinfo/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
  namespace: apps
`,
  };
  const helmEncoded = gzipSync(Buffer.from(JSON.stringify(release))).toString("base64");
  await kubeRequest(kc, "POST", `/api/v1/namespaces/${ns}/secrets`, {
    body: {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "sh.helm.release.v1.podinfo.v3" },
      type: "helm.sh/release.v1",
      data: { release: Buffer.from(helmEncoded).toString("base64") },
    },
  });
  await setStatus(kc, fluxRef("HelmRelease", ns, "podinfo"), {
    storageNamespace: ns,
    history: [
      {
        name: "podinfo",
        namespace: ns,
        version: 3,
        chartName: "podinfo",
        chartVersion: "6.5.4",
        configDigest: "sha256:a",
        digest: "sha256:b",
        firstDeployed: "2024-01-01T00:00:00Z",
        lastDeployed: "2024-01-01T00:00:00Z",
        status: "deployed",
      },
    ],
  });
});

describe("tree kustomization", () => {
  it("prints the inventory as a tree with nested Kustomizations and HelmReleases expanded", async () => {
    const res = await flux("tree", "kustomization", "flux-system", "-n", ns);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expectSnapshot(res.stdout, "flux-system.golden", ns);
  });

  it("--compact keeps Flux objects only; -o json and -o yaml", async () => {
    expectSnapshot(
      (await flux("tree", "ks", "flux-system", "--compact", "-n", ns)).stdout,
      "flux-system-compact.golden",
      ns,
    );
    expectSnapshot((await flux("tree", "ks", "apps", "-o", "json", "-n", ns)).stdout, "apps.json.golden", ns);
    expectSnapshot((await flux("tree", "ks", "apps", "-o", "yaml", "-n", ns)).stdout, "apps.yaml.golden", ns);
  });

  it("errors: no name, missing object, bad output", async () => {
    expect(await flux("tree", "ks", "-n", ns)).toMatchObject({ code: 1, stderr: "✗ kustomization name is required\n" });
    expect(await flux("tree", "ks", "nope", "-n", ns)).toMatchObject({
      code: 1,
      stderr: '✗ kustomizations.kustomize.toolkit.fluxcd.io "nope" not found\n',
    });
    expect(await flux("tree", "ks", "apps", "-o", "xml", "-n", ns)).toMatchObject({
      code: 1,
      stdout: "",
      stderr: "✗ --output must be json or yaml, not xml\n",
    });
  });
});
