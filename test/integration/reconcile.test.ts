// reconcile's refusals against the real API server, where no controller runs: suspended,
// static and missing objects, bad flags. What a controller answers (the waits, --with-source,
// --all, --force/--reset) is asserted against the real controllers in test/e2e.
import { describe, expect, it } from "vitest";
import { applyYaml, createNamespace, testKubeConfig, testKubeconfigPath } from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";

async function setup(): Promise<string> {
  const kc = await testKubeConfig();
  const ns = await createNamespace(kc);
  await applyYaml(
    kc,
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: podinfo, namespace: ${ns}}
spec: {interval: 5m, url: https://github.com/stefanprodan/podinfo, ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: ${ns}}
spec: {interval: 10m, prune: true, path: ./kustomize, sourceRef: {kind: GitRepository, name: podinfo}}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: ${ns}}
spec:
  interval: 10m
  chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: podinfo, namespace: ${ns}}
spec: {interval: 5m, url: https://stefanprodan.github.io/podinfo}
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: {name: slack, namespace: ${ns}}
spec: {type: slack}
`,
  );
  return ns;
}

const flux = async (...args: string[]) => runCli(["--kubeconfig", await testKubeconfigPath(), ...args]);

describe("reconcile", () => {
  it("suspended objects, static objects, bad flags and missing objects", async () => {
    const ns = await setup();
    await flux("suspend", "ks", "apps", "-n", ns);
    const susp = await flux("reconcile", "ks", "apps", "-n", ns);
    expect(susp.code).toBe(1);
    expect(susp.stderr).toMatch(/^✗ resource is suspended/);
    const provider = await flux("reconcile", "alert-provider", "slack", "-n", ns);
    expect(provider).toMatchObject({ code: 0, stderr: "✔ reconciliation not supported by the object\n" });
    const force = await flux("reconcile", "ks", "apps", "--force", "-n", ns);
    expect(force.code).toBe(1);
    const missing = await flux("reconcile", "source", "git", "nope", "-n", ns);
    expect(missing).toMatchObject({ code: 1, stderr: '✗ gitrepositories.source.toolkit.fluxcd.io "nope" not found\n' });
    const noName = await flux("reconcile", "source", "git", "-n", ns);
    expect(noName).toMatchObject({ code: 1, stderr: "✗ GitRepository name is required\n" });
  });
});
