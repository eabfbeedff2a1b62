// uninstall after a bootstrap, with the real controllers, kube-controller-manager's
// namespace controller and garbage collector. uninstall deletes the cluster-wide Flux
// CRDs, so this file starts its own controllers-mode environment and never touches the
// shared one. What uninstall must remove: the controllers, their RBAC, the Flux CRDs
// and every Flux object (their finalizers first, so nothing hangs), the namespace
// unless --keep-namespace. What it must keep: what the controllers applied (no prune
// once the finalizers are gone) and the repository. --dry-run changes nothing, and a
// re-run finds nothing left to do.
import type { KubeConfig } from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, kubeRequest, tryGetObject, waitForCRDsGone, type KubeObject } from "../env/helpers.js";
import { startGitServer, type GitServer } from "../env/git-server.js";
import { startTestEnv, type TestEnv } from "../env/testenv.js";
import { realBundle } from "../fixtures/install/bundle.js";
import {
  appFiles,
  expectBootstrapReconciled,
  FLUX_COMPONENTS,
  fluxFor,
  fluxStatus,
  type CliResult,
} from "../support/e2e.js";
import { stopAfterAll } from "../support/teardown.js";

const TOKEN = "e2eUninstallT0ken";
const REPO = "fleet/uninstall";
let env: TestEnv;
let kc: KubeConfig;
let git: GitServer;
let bundle: string;
let flux: (...args: string[]) => Promise<CliResult>;

const stopLater = stopAfterAll();

beforeAll(async () => {
  [env, git, bundle] = await Promise.all([
    startTestEnv({ controllers: true, log: () => {} }).then(stopLater),
    startGitServer({ username: "git", password: TOKEN }).then(stopLater),
    realBundle(),
  ]);
  kc = env.kubeConfig;
  flux = fluxFor(env.kubeconfigPath);
  // The fleet repository holds an app beside what bootstrap adds: flux-system applies it.
  const app = Object.fromEntries(Object.entries(appFiles("kept")).map(([f, text]) => [`clusters/dev/app/${f}`, text]));
  app["clusters/dev/app/namespace.yaml"] = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n";
  app["clusters/dev/app/kustomization.yaml"] =
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: app\nresources:\n  - namespace.yaml\n  - deploy/deployment.yaml\n  - deploy/service.yaml\n  - deploy/configmap.yaml\n";
  await git.createRepo(REPO, { branch: "main", files: app });
});

const list = async (path: string) => (await kubeRequest<{ items: KubeObject[] }>(kc, "GET", path)).items;
const names = (items: KubeObject[]) => items.map((o) => o.metadata.name).sort();
const PART_OF_FLUX = "labelSelector=app.kubernetes.io%2Fpart-of%3Dflux";
const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
/** The Flux CRDs install applied (labelled part-of=flux): what uninstall deletes. */
const installedCRDs = async () => names(await list(`${CRDS}?${PART_OF_FLUX}`));
/**
 * The other toolkit CRDs: the test environment installs all 15 at start, and the ones of
 * components this install leaves out (image automation) carry no part-of=flux label.
 */
const otherToolkitCRDs = async () =>
  names(await list(CRDS)).filter((n) => n.endsWith(".toolkit.fluxcd.io") && !installedCRDsNow.includes(n));
let installedCRDsNow: string[] = [];
const namespace = (name: string) => tryGetObject(kc, { group: "", version: "v1", plural: "namespaces", name });
const appObject = (plural: string, name: string, group = "", version = "v1") =>
  tryGetObject(kc, { group, version, plural, namespace: "app", name });

describe("uninstall after bootstrap, with the real controllers", () => {
  it("bootstrap git: the controllers roll out and apply flux-system and the app", async () => {
    const res = await flux(
      "bootstrap",
      "git",
      `--url=${git.url(REPO)}`,
      "--allow-insecure-http",
      "--token-auth",
      "--username=git",
      `--password=${TOKEN}`,
      "--path=clusters/dev",
      `--manifests=${bundle}`,
      "--timeout=3m",
    );
    expect(res.stderr).toContain("✔ all components are healthy");
    expect(res.code).toBe(0);
    await expectBootstrapReconciled(kc, git, "flux-system", REPO);
    await eventually(async () => (await appObject("configmaps", "app-config"))?.data, 60_000, 250);
    expect((await appObject("configmaps", "app-config"))?.data).toEqual({ message: "kept" });
    // A source outside flux-system, with source-controller's finalizer on it.
    const secret = await flux(
      "create",
      "secret",
      "git",
      "other",
      `--url=${git.url(REPO)}`,
      "--username=git",
      `--password=${TOKEN}`,
      "-n",
      "app",
    );
    expect(secret.code).toBe(0);
    const other = await flux(
      "create",
      "source",
      "git",
      "other",
      `--url=${git.url(REPO)}`,
      "--branch=main",
      "--secret-ref=other",
      "-n",
      "app",
    );
    expect(other.code).toBe(0);
    expect(
      (
        await kubeRequest<KubeObject>(
          kc,
          "GET",
          "/apis/source.toolkit.fluxcd.io/v1/namespaces/app/gitrepositories/other",
        )
      ).metadata.finalizers,
    ).toEqual(["finalizers.fluxcd.io"]);
  });

  it("uninstall --dry-run names what it would delete and changes nothing", async () => {
    installedCRDsNow = await installedCRDs();
    for (const crd of [
      "gitrepositories.source.toolkit.fluxcd.io",
      "kustomizations.kustomize.toolkit.fluxcd.io",
      "helmreleases.helm.toolkit.fluxcd.io",
      "alerts.notification.toolkit.fluxcd.io",
    ])
      expect(installedCRDsNow).toContain(crd);
    const res = await flux("uninstall", "--dry-run");
    expect(res.code).toBe(0);
    for (const c of FLUX_COMPONENTS) expect(res.stderr).toContain(`✔ Deployment/flux-system/${c} deleted (dry run)\n`);
    expect(res.stderr).toContain("✔ Kustomization/flux-system/flux-system finalizers deleted (dry run)\n");
    expect(res.stderr).toContain("✔ GitRepository/app/other finalizers deleted (dry run)\n");
    expect(res.stderr).toContain(
      "✔ CustomResourceDefinition/kustomizations.kustomize.toolkit.fluxcd.io deleted (dry run)\n",
    );
    expect(res.stderr).toContain("✔ Namespace/flux-system deleted (dry run)\n");
    expect(await installedCRDs()).toEqual(installedCRDsNow);
    expect(names(await list(`/apis/apps/v1/namespaces/flux-system/deployments?${PART_OF_FLUX}`))).toEqual(
      [...FLUX_COMPONENTS].sort(),
    );
    const ks = await kubeRequest<KubeObject>(
      kc,
      "GET",
      "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/flux-system",
    );
    expect(ks.metadata.finalizers).toEqual(["finalizers.fluxcd.io"]);
  });

  it("uninstall --keep-namespace removes the controllers, their RBAC, the CRDs and the Flux objects; keeps what they applied", async () => {
    const commits = git.log(REPO, "main").length;
    const others = await otherToolkitCRDs();
    const res = await flux("uninstall", "--silent", "--keep-namespace");
    expect(res.code).toBe(0);
    expect(res.stderr).toContain("✔ uninstall finished\n");
    expect(res.stderr).not.toMatch(/^✗/m);
    expect(res.stderr).not.toContain("Namespace/flux-system");

    // Removed: the components (the garbage collector takes their ReplicaSets and Pods) ...
    expect(await list(`/apis/apps/v1/namespaces/flux-system/deployments?${PART_OF_FLUX}`)).toEqual([]);
    expect(await list(`/api/v1/namespaces/flux-system/services?${PART_OF_FLUX}`)).toEqual([]);
    expect(await list(`/api/v1/namespaces/flux-system/serviceaccounts?${PART_OF_FLUX}`)).toEqual([]);
    expect(await list(`/apis/networking.k8s.io/v1/namespaces/flux-system/networkpolicies?${PART_OF_FLUX}`)).toEqual([]);
    expect(await list(`/apis/rbac.authorization.k8s.io/v1/clusterroles?${PART_OF_FLUX}`)).toEqual([]);
    expect(await list(`/apis/rbac.authorization.k8s.io/v1/clusterrolebindings?${PART_OF_FLUX}`)).toEqual([]);
    await eventually(async () => (await list("/api/v1/namespaces/flux-system/pods")).length === 0, 120_000, 500);
    // ... and the CRDs with every Flux object: no finalizer holds any of them back.
    await waitForCRDsGone(kc, { labelSelector: "app.kubernetes.io/part-of=flux" }, 120_000);
    for (const crd of installedCRDsNow) expect(res.stderr).toContain(`✔ CustomResourceDefinition/${crd} deleted \n`);

    // Kept: CRDs install did not apply, the namespace (asked), what the controllers applied, the repository.
    expect(await otherToolkitCRDs()).toEqual(others);
    expect((await namespace("flux-system"))?.status).toMatchObject({ phase: "Active" });
    expect(
      await tryGetObject(kc, {
        group: "",
        version: "v1",
        plural: "secrets",
        namespace: "flux-system",
        name: "flux-system",
      }),
    ).toBeDefined();
    expect((await namespace("app"))?.status).toMatchObject({ phase: "Active" });
    expect((await appObject("configmaps", "app-config"))?.data).toEqual({ message: "kept" });
    expect(await appObject("services", "app")).toBeDefined();
    expect((await appObject("deployments", "app", "apps"))?.status).toMatchObject({ readyReplicas: 2 });
    expect(git.log(REPO, "main")).toHaveLength(commits);
  });

  it("uninstall again deletes the namespace (the namespace controller empties it); a third run finds nothing", async () => {
    const res = await flux("uninstall", "--silent");
    expect(res.code).toBe(0);
    expect(res.stderr).toBe(
      "► deleting components in flux-system namespace\n" +
        "► deleting toolkit.fluxcd.io finalizers in all namespaces\n" +
        "► deleting toolkit.fluxcd.io custom resource definitions\n" +
        "✔ Namespace/flux-system deleted \n" +
        "✔ uninstall finished\n",
    );
    await eventually(async () => !(await namespace("flux-system")), 120_000, 500);

    const again = await flux("uninstall", "--silent");
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(
      "► deleting components in flux-system namespace\n" +
        "► deleting toolkit.fluxcd.io finalizers in all namespaces\n" +
        "► deleting toolkit.fluxcd.io custom resource definitions\n" +
        '⚠️ Namespace/flux-system deletion failed: namespaces "flux-system" not found\n' +
        "✔ uninstall finished\n",
    );
    // Still there: the app.
    expect((await appObject("configmaps", "app-config"))?.data).toEqual({ message: "kept" });
    expect(
      await fluxStatus(kc, "Kustomization", "flux-system", "flux-system").catch((e: unknown) =>
        e instanceof Error ? e.message : String(e),
      ),
    ).toMatch(/404|not found/i);
  });
});
