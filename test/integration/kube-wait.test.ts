// Watch-based waits and server-side apply against the real API server; a test
// stands in for the controller by writing status through the status subresource.
import { describe, expect, it } from "vitest";
import {
  createNamespace,
  fluxRef,
  markReconciled,
  setReadyCondition,
  testKubeconfigPath,
  testKubeConfig,
  applyYaml,
} from "../env/helpers.js";
import { createKubeClient } from "../../src/kube/client.js";
import { waitForReady, waitForDeletion, WaitTimeoutError, NotReadyError } from "../../src/kube/wait.js";
import { applyObjects, applyObject, changeLine } from "../../src/kube/apply.js";
import { kubeRest, resourcePath } from "../../src/kube/rest.js";

const gitType = { group: "source.toolkit.fluxcd.io", version: "v1", plural: "gitrepositories", kind: "GitRepository" };

function gitRepo(ns: string, name: string, url = "https://github.com/stefanprodan/podinfo") {
  return {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: { name, namespace: ns },
    spec: { interval: "1m0s", url, ref: { branch: "main" } },
  };
}

async function client() {
  return await createKubeClient({ kubeconfig: await testKubeconfigPath(), namespace: "default" });
}

describe("applyObjects", () => {
  it("reports created, unchanged and configured, namespaces first", async () => {
    const c = await client();
    const ns = `tsflux-apply-${Date.now().toString(36)}`;
    const objs = [gitRepo(ns, "podinfo"), { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }];
    const r1 = await applyObjects(c, objs);
    expect(r1.map(changeLine)).toEqual([`GitRepository/${ns}/podinfo created`, `Namespace/${ns} created`]);
    const r2 = await applyObjects(c, objs);
    expect(r2.map((r) => r.action)).toEqual(["unchanged", "unchanged"]);
    const r3 = await applyObject(c, gitRepo(ns, "podinfo", "https://github.com/fluxcd/flux2"));
    expect(r3.action).toBe("configured");
    const live = await kubeRest<{ spec: { url: string }; metadata: { managedFields: { manager: string }[] } }>(
      c,
      "GET",
      resourcePath(gitType, ns, "podinfo"),
    );
    expect(live.spec.url).toBe("https://github.com/fluxcd/flux2");
    expect(live.metadata.managedFields.map((m) => m.manager)).toContain("flux");
  });

  it("fails with a clear message for an unknown kind and for an invalid object", async () => {
    const c = await client();
    await expect(
      applyObject(c, { apiVersion: "example.com/v1", kind: "Nope", metadata: { name: "x" } }),
    ).rejects.toThrow(/no matches for kind "Nope"/);
    const ns = await createNamespace(await testKubeConfig());
    const bad = { ...gitRepo(ns, "bad"), spec: { interval: "1m", url: "not a url at all" } };
    await expect(applyObject(c, bad)).rejects.toThrow(/GitRepository\/.*\/bad apply failed: .*spec.url/);
  });
});

describe("waitForReady", () => {
  it("resolves when the controller marks the request handled and Ready", async () => {
    const kc = await testKubeConfig();
    const ns = await createNamespace(kc);
    await applyYaml(kc, [gitRepo(ns, "app")]);
    const c = await client();
    const requestedAt = new Date().toISOString();
    const p = waitForReady(c, gitType, ns, "app", { timeoutMs: 10_000, requestedAt });
    await new Promise((r) => setTimeout(r, 300));
    // Ready but for an older request: still waiting.
    await markReconciled(kc, fluxRef("GitRepository", ns, "app"), "older");
    await new Promise((r) => setTimeout(r, 300));
    await markReconciled(kc, fluxRef("GitRepository", ns, "app"), requestedAt, { message: "stored artifact" });
    const obj = await p;
    expect(obj.status?.lastHandledReconcileAt).toBe(requestedAt);
  });

  it("waits for an object that does not exist yet", async () => {
    const kc = await testKubeConfig();
    const ns = await createNamespace(kc);
    const c = await client();
    const p = waitForReady(c, gitType, ns, "later", { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 200));
    await applyYaml(kc, [gitRepo(ns, "later")]);
    await setReadyCondition(kc, fluxRef("GitRepository", ns, "later"), true, "Succeeded", "ok");
    await expect(p).resolves.toMatchObject({ metadata: { name: "later" } });
  });

  it("rejects with the Ready message when the object settles not ready", async () => {
    const kc = await testKubeConfig();
    const ns = await createNamespace(kc);
    await applyYaml(kc, [gitRepo(ns, "broken")]);
    const c = await client();
    const p = waitForReady(c, gitType, ns, "broken", { timeoutMs: 10_000 }).catch((e: unknown) => e);
    await setReadyCondition(
      kc,
      fluxRef("GitRepository", ns, "broken"),
      false,
      "GitOperationFailed",
      "failed to checkout: auth required",
    );
    const err = await p;
    expect(err).toBeInstanceOf(NotReadyError);
    expect((err as Error).message).toBe("GitRepository reconciliation failed: 'failed to checkout: auth required'");
  });

  it("keeps waiting while Reconciling and times out with the last message", async () => {
    const kc = await testKubeConfig();
    const ns = await createNamespace(kc);
    await applyYaml(kc, [gitRepo(ns, "slow")]);
    await setReadyCondition(kc, fluxRef("GitRepository", ns, "slow"), "Unknown", "Progressing", "cloning repository");
    const c = await client();
    const t0 = Date.now();
    const err = await waitForReady(c, gitType, ns, "slow", { timeoutMs: 800 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as Error).message).toBe(
      `timeout waiting for GitRepository ${ns}/slow to become ready: cloning repository`,
    );
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it("an unreachable API server is reported as such, not as a timeout", async () => {
    const c = await createKubeClient({
      kubeconfig: await testKubeconfigPath(),
      server: "https://127.0.0.1:1",
      namespace: "default",
    });
    const err = await waitForReady(c, gitType, "default", "x", { timeoutMs: 1500 }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      /^unable to connect to the Kubernetes API server at https:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/,
    );
  });

  it("waitForDeletion resolves when the object is deleted", async () => {
    const kc = await testKubeConfig();
    const ns = await createNamespace(kc);
    await applyYaml(kc, [gitRepo(ns, "gone")]);
    const c = await client();
    const p = waitForDeletion(c, gitType, ns, "gone", { timeoutMs: 10_000 });
    await kubeRest(c, "DELETE", resourcePath(gitType, ns, "gone"));
    await expect(p).resolves.toBeUndefined();
  });
});
