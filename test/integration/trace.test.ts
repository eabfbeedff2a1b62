// `flux trace` against the real API server: objects labelled by kustomize-controller
// and helm-controller, owner references, and the sources behind them.
import { beforeAll, describe, expect, it } from "vitest";
import {
  applyYaml,
  createNamespace,
  fluxRef,
  setArtifact,
  setStatus,
  testKubeConfig,
  testKubeconfigPath,
} from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";
import { expectGolden, tsfluxGolden } from "../support/golden.js";
import { must } from "../support/must.js";

/** Compares with test/golden/tsflux/trace/<name>; `{{ .fluxns }}` stands for the namespace. */
const expectSnapshot = (actual: string, name: string, ns: string) =>
  expectGolden(actual, tsfluxGolden("trace", name), { fluxns: ns });

let ns: string;
let kubeconfig: string;
const flux = (...args: string[]) => runCli(["--kubeconfig", kubeconfig, ...args]);
const ready = (message: string, status = "True") => ({
  conditions: [
    {
      type: "Ready",
      status,
      reason: status === "True" ? "Succeeded" : "Failed",
      message,
      lastTransitionTime: "2024-03-01T10:20:30Z",
    },
  ],
});

beforeAll(async () => {
  kubeconfig = await testKubeconfigPath();
  const kc = await testKubeConfig();
  ns = await createNamespace(kc);
  const [, , deploy] = await applyYaml(
    kc,
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: ${ns}}
spec: {interval: 1m, url: https://github.com/example/fleet, ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: ${ns}}
spec: {interval: 10m, prune: true, path: ./apps, targetNamespace: ${ns}, sourceRef: {kind: GitRepository, name: flux-system}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
  labels: {kustomize.toolkit.fluxcd.io/name: apps, kustomize.toolkit.fluxcd.io/namespace: ${ns}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: podinfo, namespace: ${ns}}
spec: {interval: 5m, url: https://stefanprodan.github.io/podinfo}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: ${ns}}
spec:
  interval: 10m
  chart: {spec: {chart: podinfo, version: "6.x", sourceRef: {kind: HelmRepository, name: podinfo}}}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata: {name: ${ns}-podinfo, namespace: ${ns}}
spec: {chart: podinfo, version: "6.x", interval: 10m, sourceRef: {kind: HelmRepository, name: podinfo}}
---
apiVersion: v1
kind: Service
metadata:
  name: podinfo
  namespace: ${ns}
  labels: {helm.toolkit.fluxcd.io/name: podinfo, helm.toolkit.fluxcd.io/namespace: ${ns}}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: unmanaged, namespace: ${ns}}
`,
  );
  // An object owned by the managed Deployment (as a ReplicaSet would be).
  await applyYaml(kc, [
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "owned",
        namespace: ns,
        ownerReferences: [
          {
            apiVersion: "apps/v1",
            kind: "Deployment",
            name: "web",
            uid: must(deploy?.metadata.uid, "the Deployment's uid"),
          },
        ],
      },
    },
  ]);
  await setArtifact(
    kc,
    fluxRef("GitRepository", ns, "flux-system"),
    "main@sha1:696f056df216eea4f9401adbee0ff744d4df390f",
  );
  await setStatus(
    kc,
    fluxRef("GitRepository", ns, "flux-system"),
    ready("stored artifact for revision 'main@sha1:696f056d'"),
  );
  await setStatus(kc, fluxRef("Kustomization", ns, "apps"), {
    lastAppliedRevision: "main@sha1:696f056df216eea4f9401adbee0ff744d4df390f",
    ...ready("Applied revision: main@sha1:696f056d"),
  });
  await setStatus(kc, fluxRef("HelmRelease", ns, "podinfo"), {
    helmChart: `${ns}/${ns}-podinfo`,
    lastAttemptedRevision: "6.5.4",
    ...ready("Helm upgrade failed: timed out", "False"),
  });
  await setStatus(kc, fluxRef("HelmChart", ns, `${ns}-podinfo`), ready("pulled 'podinfo' chart with version '6.5.4'"));
  await setArtifact(kc, fluxRef("HelmChart", ns, `${ns}-podinfo`), "6.5.4");
});

describe("trace", () => {
  it("traces a Deployment to its Kustomization and GitRepository", async () => {
    const res = await flux("trace", "deployment", "web", "-n", ns);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expectSnapshot(res.stdout, "deployment.golden", ns);
    // The other spellings give the same report.
    expect((await flux("trace", "deploy/web", "-n", ns)).stdout).toBe(res.stdout);
    expect((await flux("trace", "web", "--kind", "Deployment", "--api-version", "apps/v1", "-n", ns)).stdout).toBe(
      res.stdout,
    );
  });

  it("follows owner references", async () => {
    const res = await flux("trace", "configmap", "owned", "-n", ns);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("Object:          ConfigMap/owned\n");
    expect(res.stdout).toContain("Kustomization:   apps\n");
  });

  it("traces a Service to its HelmRelease, HelmChart and HelmRepository; several objects are separated by ---", async () => {
    const res = await flux("trace", "svc/podinfo", "deployment/web", "-n", ns);
    expect(res.code).toBe(0);
    expectSnapshot(res.stdout, "service-and-deployment.golden", ns);
  });

  it("errors: unmanaged, missing, unknown type, bad arguments", async () => {
    const unmanaged = await flux("trace", "cm", "unmanaged", "-n", ns);
    expect(unmanaged).toMatchObject({
      code: 1,
      stdout: "",
      stderr: `✗ failed to trace ConfigMap/unmanaged in namespace ${ns}: object not managed by Flux\n`,
    });
    const missing = await flux("trace", "deployment", "nope", "-n", ns);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `✗ failed to trace Deployment/nope in namespace ${ns}: failed to find object: deployments.apps "nope" not found\n`,
    );
    expect(await flux("trace", "frobs", "x", "-n", ns)).toMatchObject({
      code: 1,
      stderr: '✗ the server doesn\'t have a resource type "frobs"\n',
    });
    expect(await flux("trace", "web", "-n", ns)).toMatchObject({
      code: 1,
      stderr: "✗ either `<resource>/<name>` or `<resource> <name>` is required as an argument\n",
    });
    expect(await flux("trace", "web", "--kind", "Deployment", "-n", ns)).toMatchObject({
      code: 1,
      stderr: "✗ object apiVersion is required (--api-version)\n",
    });
  });
});
