// delete against the real API server: confirmation, --silent, missing objects.
import { describe, expect, it } from "vitest";
import {
  applyYaml,
  createNamespace,
  fluxRef,
  testKubeConfig,
  testKubeconfigPath,
  tryGetObject,
} from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";

async function setup(): Promise<{ ns: string; kubeconfig: string }> {
  const kc = await testKubeConfig();
  const ns = await createNamespace(kc);
  await applyYaml(
    kc,
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: podinfo, namespace: ${ns}}
spec: {interval: 5m, url: https://stefanprodan.github.io/podinfo}`,
  );
  return { ns, kubeconfig: await testKubeconfigPath() };
}

const exists = async (ns: string) =>
  (await tryGetObject(await testKubeConfig(), fluxRef("HelmRepository", ns, "podinfo"))) !== undefined;

describe("delete", () => {
  it("asks for confirmation and aborts on no / end of input, nothing deleted", async () => {
    const { ns, kubeconfig } = await setup();
    for (const stdin of ["n\n", ""]) {
      const res = await runCli(["--kubeconfig", kubeconfig, "delete", "source", "helm", "podinfo", "-n", ns], {
        stdin,
      });
      expect(res.code).toBe(1);
      expect(res.stderr).toBe("? Are you sure you want to delete this source helm? [y/N] \n✗ aborting\n");
      expect(await exists(ns)).toBe(true);
    }
  });

  it("deletes after yes, or with --silent", async () => {
    const { ns, kubeconfig } = await setup();
    const res = await runCli(["--kubeconfig", kubeconfig, "delete", "source", "helm", "podinfo", "-n", ns], {
      stdin: "y\n",
    });
    expect(res.code).toBe(0);
    expect(res.stderr).toBe(
      `? Are you sure you want to delete this source helm? [y/N] \n► deleting source helm podinfo in ${ns} namespace\n✔ source helm deleted\n`,
    );
    expect(await exists(ns)).toBe(false);
    const again = await setup();
    const silent = await runCli([
      "--kubeconfig",
      again.kubeconfig,
      "delete",
      "source",
      "helm",
      "podinfo",
      "-s",
      "-n",
      again.ns,
    ]);
    expect(silent.code).toBe(0);
    expect(await exists(again.ns)).toBe(false);
  });

  it("a missing object or name is a clear error", async () => {
    const { ns, kubeconfig } = await setup();
    const missing = await runCli(["--kubeconfig", kubeconfig, "delete", "ks", "nope", "--silent", "-n", ns]);
    expect(missing).toMatchObject({
      code: 1,
      stderr: '✗ kustomizations.kustomize.toolkit.fluxcd.io "nope" not found\n',
    });
    const noName = await runCli(["--kubeconfig", kubeconfig, "delete", "alert-provider", "-n", ns]);
    expect(noName).toMatchObject({ code: 1, stderr: "✗ alert provider name is required\n" });
  });
});
