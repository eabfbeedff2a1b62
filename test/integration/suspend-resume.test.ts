// suspend / resume against the real API server; the test stands in for the controller.
import { beforeAll, describe, expect, it } from "vitest";
import { applyYaml, createNamespace, fluxRef, getObject, testKubeConfig, testKubeconfigPath } from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";

let kubeconfig: string;
const flux = (...args: string[]) => runCli(["--kubeconfig", kubeconfig, ...args]);

const ks = (ns: string, name: string, suspend = false) => `
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${ns}}
spec: {interval: 10m, prune: true, path: ./apps, sourceRef: {kind: GitRepository, name: flux-system}, suspend: ${suspend}}
`;

beforeAll(async () => {
  kubeconfig = await testKubeconfigPath();
});

async function suspended(ns: string, name: string): Promise<unknown> {
  const obj = await getObject(await testKubeConfig(), fluxRef("Kustomization", ns, name));
  return obj.spec?.suspend;
}

describe("suspend", () => {
  it("suspends several objects and reports a missing one (exit 1)", async () => {
    const kc = await testKubeConfig();
    const ns = await createNamespace(kc);
    await applyYaml(kc, ks(ns, "a") + "---" + ks(ns, "b"));
    const res = await flux("suspend", "ks", "a", "missing", "b", "a", "-n", ns);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe("");
    expect(res.stderr).toBe(
      `► suspending kustomization a in ${ns} namespace\n✔ kustomization suspended\n` +
        `✗ Kustomization missing not found in ${ns} namespace\n` +
        `► suspending kustomization b in ${ns} namespace\n✔ kustomization suspended\n`,
    );
    expect(await suspended(ns, "a")).toBe(true);
    expect(await suspended(ns, "b")).toBe(true);
  });

  it("--all suspends every object of the kind; a name is required otherwise", async () => {
    const kc = await testKubeConfig();
    const ns = await createNamespace(kc);
    await applyYaml(kc, ks(ns, "x") + "---" + ks(ns, "y"));
    const res = await flux("suspend", "kustomization", "--all", "-n", ns);
    expect(res.code).toBe(0);
    expect(await suspended(ns, "x")).toBe(true);
    expect(await suspended(ns, "y")).toBe(true);
    const none = await flux("suspend", "kustomization", "-n", ns);
    expect(none).toMatchObject({ code: 1, stderr: "✗ kustomization name is required\n" });
  });
});

describe("resume", () => {
  it("--wait=false and several names: no waiting", async () => {
    const kc = await testKubeConfig();
    const ns = await createNamespace(kc);
    await applyYaml(kc, ks(ns, "p", true) + "---" + ks(ns, "q", true));
    const res = await flux("resume", "ks", "p", "q", "-n", ns);
    expect(res.code).toBe(0);
    expect(res.stderr).not.toContain("waiting");
    const one = await flux("resume", "ks", "p", "--wait=false", "-n", ns);
    expect(one.code).toBe(0);
    expect(one.stderr).not.toContain("waiting");
    expect(await suspended(ns, "p")).toBeUndefined();
  });

  it("times out with a clear message", async () => {
    const kc = await testKubeConfig();
    const ns = await createNamespace(kc);
    await applyYaml(kc, ks(ns, "slow", true));
    const res = await flux("resume", "ks", "slow", "-n", ns, "--timeout", "1s");
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`✗ timeout waiting for Kustomization ${ns}/slow to become ready`);
  });
});
