// `flux logs` pod discovery against the real API server. The test environment has no
// kubelet, so the log stream itself cannot be served: the tests check discovery, the
// request, and the error path (parsing/formatting is covered by test/unit/ops/logs.test.ts).
import { describe, expect, it } from "vitest";
import { applyYaml, createNamespace, testKubeConfig, testKubeconfigPath } from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";

const flux = async (...args: string[]) => runCli(["--kubeconfig", await testKubeconfigPath(), ...args]);

describe("logs", () => {
  it("finds the controller pods and reports that their logs cannot be fetched", async () => {
    const kc = await testKubeConfig();
    const ns = await createNamespace(kc);
    await applyYaml(
      kc,
      `apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: ${ns}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: kustomize-controller, namespace: ${ns}, labels: {app.kubernetes.io/part-of: flux}}
spec:
  selector: {matchLabels: {app: kustomize-controller}}
  template:
    metadata: {labels: {app: kustomize-controller}}
    spec: {containers: [{name: manager, image: ghcr.io/fluxcd/kustomize-controller}]}
---
apiVersion: v1
kind: Pod
metadata: {name: kustomize-controller-abc, namespace: ${ns}, labels: {app: kustomize-controller}}
spec: {automountServiceAccountToken: false, nodeName: node-1, containers: [{name: manager, image: ghcr.io/fluxcd/kustomize-controller}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: source-controller, namespace: ${ns}, labels: {app.kubernetes.io/part-of: flux}}
spec:
  selector: {matchLabels: {app: source-controller}}
  template:
    metadata: {labels: {app: source-controller}}
    spec: {containers: [{name: manager, image: ghcr.io/fluxcd/source-controller}]}
---
apiVersion: v1
kind: Pod
metadata: {name: source-controller-pending, namespace: ${ns}, labels: {app: source-controller}}
spec: {automountServiceAccountToken: false, containers: [{name: manager, image: ghcr.io/fluxcd/source-controller}]}
---
apiVersion: v1
kind: Pod
metadata: {name: unrelated, namespace: ${ns}, labels: {app: other}}
spec: {automountServiceAccountToken: false, containers: [{name: main, image: nginx}]}
`,
    );
    const res = await flux("logs", "--flux-namespace", ns, "--tail", "5", "--since", "1m", "--verbose");
    expect(res.code).toBe(1);
    expect(res.stdout).toBe("");
    const lines = res.stderr.trim().split("\n");
    // One pod per controller Deployment, in the Deployments' order; unrelated pods are ignored.
    expect(lines[0]).toBe(`reading logs of pod ${ns}/kustomize-controller-abc`);
    // The API server cannot reach a kubelet for node-1: reported, and the other pods still read.
    expect(lines[1]).toMatch(/^failed getting logs: .*node-1/);
    expect(lines[2]).toBe(`reading logs of pod ${ns}/source-controller-pending`);
    expect(lines[3]).toBe("✗ failed to collect logs from all Flux pods");
    expect(lines).toHaveLength(4);
  });

  it("no Flux pods, bad flags and arguments are clear errors", async () => {
    const kc = await testKubeConfig();
    const ns = await createNamespace(kc);
    expect(await flux("logs", "--flux-namespace", ns)).toMatchObject({
      code: 1,
      stderr: `✗ no Flux pods found in namespace "${ns}"\n`,
    });
    expect((await flux("logs", "--level", "warn")).code).toBe(1);
    expect(await flux("logs", "extra", "--flux-namespace", ns)).toMatchObject({
      code: 1,
      stderr: "✗ no argument required\n",
    });
    expect((await flux("logs", "--since", "5 minutes")).code).toBe(1);
  });
});
