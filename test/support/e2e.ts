// Shared pieces of the tests against the real controllers (test/e2e, and any test
// that starts a controllers-mode environment): the real CLI in-process against it, an
// app repository on a git server with Basic auth, reads of what the controllers wrote,
// and the check that a bootstrap converged through the controllers.
import type { KubeConfig } from "@kubernetes/client-node";
import { expect, inject } from "vitest";
import { runCli, type CliResult } from "../helpers/cli.js";
import {
  createNamespace,
  fluxRef,
  getObject,
  kubeRequest,
  testKubeConfig,
  uniqueName,
  type FluxKind,
  type KubeObject,
} from "../env/helpers.js";
import { KWOK_NODE } from "../env/controllers.js";
import { startGitServer, type GitServer } from "../env/git-server.js";
import type { SshGitServer } from "../env/ssh-server.js";
import { must } from "./must.js";

export { runCli, type CliResult };

/** The environment's kubeconfig (the e2e globalSetup's). */
export function kubeconfigPath(): string {
  return inject("kubeconfig");
}

/** Runs tsflux with --kubeconfig of the controllers-mode environment and NO_COLOR. */
export async function flux(...args: string[]): Promise<CliResult> {
  return await runCli([...args, "--kubeconfig", kubeconfigPath()]);
}

/** A `flux` runner against another environment (one a test started for itself). */
export function fluxFor(kubeconfig: string): (...args: string[]) => Promise<CliResult> {
  return async (...args) => await runCli([...args, "--kubeconfig", kubeconfig]);
}

/** The Flux controllers whose Deployments install and bootstrap create. */
export const FLUX_COMPONENTS = [
  "source-controller",
  "kustomize-controller",
  "helm-controller",
  "notification-controller",
];

export interface GitApp {
  git: GitServer;
  kc: KubeConfig;
  /** A fresh namespace. */
  ns: string;
  /** The repository path on the git server, `apps/<ns>`. */
  repo: string;
  /** `main@sha1:<commit>` of the repository's main branch now. */
  head(): string;
  stop(): Promise<void>;
}

/**
 * A git server (Basic auth when a password is given), a fresh namespace and a
 * repository `apps/<ns>` whose main branch holds `files` (default: appFiles("v1")).
 */
export async function startGitApp(
  prefix: string,
  opts: { password?: string; files?: Record<string, string> } = {},
): Promise<GitApp> {
  const git = await startGitServer(opts.password ? { username: "git", password: opts.password } : {});
  const { kc, ns } = await clusterAndNamespace(prefix);
  const repo = `apps/${ns}`;
  await git.createRepo(repo, { branch: "main", files: opts.files ?? appFiles("v1") });
  return {
    git,
    kc,
    ns,
    repo,
    head: () => `main@sha1:${git.revParse(repo, "refs/heads/main")}`,
    stop: () => git.stop(),
  };
}

/** `create secret git <name>` with the git server's Basic auth credentials. */
export async function createGitSecret(app: GitApp, name: string, password: string): Promise<void> {
  const res = await flux(
    "create",
    "secret",
    "git",
    name,
    `--url=${app.git.url(app.repo)}`,
    "--username=git",
    `--password=${password}`,
    "-n",
    app.ns,
  );
  expect(res.stderr).toContain(`► git secret '${name}' created in '${app.ns}' namespace`);
  expect(res.code).toBe(0);
}

/**
 * What the controllers did after a bootstrap into ns from the repository at repoPath:
 * source-controller cloned the pushed commit with the credentials, kustomize-controller
 * applied flux-system from it, and the controller Deployments run on the kwok Node.
 * Returns the pushed revision.
 */
export async function expectBootstrapReconciled(
  kc: KubeConfig,
  git: GitServer,
  ns: string,
  repoPath: string,
  opts: { ssh?: SshGitServer } = {},
): Promise<string> {
  const pushed = `main@sha1:${git.revParse(repoPath, "refs/heads/main")}`;
  const src = await fluxStatus(kc, "GitRepository", ns, ns);
  expect(src.artifact?.revision).toBe(pushed);
  expect(readyCondition(src)).toMatchObject({ status: "True", message: `stored artifact for revision '${pushed}'` });
  // Fetched over the URL's transport: HTTP with the credentials, or SSH with the key.
  const fetches = opts.ssh
    ? opts.ssh.sessions().filter((s) => s.repo === repoPath && s.service === "git-upload-pack" && s.outcome === "ok")
    : git.requests.filter((r) => r.repo === repoPath && r.service === "git-upload-pack" && r.authorized);
  expect(fetches.length).toBeGreaterThan(0);
  const ks = await fluxStatus(kc, "Kustomization", ns, ns);
  expect(ks.lastAppliedRevision).toBe(pushed);
  expect(readyCondition(ks)).toMatchObject({ status: "True", message: `Applied revision: ${pushed}` });
  const ids = must(ks.inventory, "the Kustomization's inventory").entries.map((e) => e.id);
  for (const c of FLUX_COMPONENTS) expect(ids).toContain(`${ns}_${c}_apps_Deployment`);
  expect(ids).toContain(`${ns}_${ns}_source.toolkit.fluxcd.io_GitRepository`);
  // Rolled out by kube-controller-manager on the kwok Node.
  for (const c of FLUX_COMPONENTS) {
    const d = await kubeRequest<KubeObject>(kc, "GET", `/apis/apps/v1/namespaces/${ns}/deployments/${c}`);
    expect(d.status).toMatchObject({ readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1 });
  }
  const pods = await kubeRequest<{ items: KubeObject[] }>(kc, "GET", `/api/v1/namespaces/${ns}/pods`);
  expect(pods.items.length).toBeGreaterThanOrEqual(FLUX_COMPONENTS.length);
  for (const p of pods.items) {
    expect((p.spec as { nodeName?: string }).nodeName).toBe(KWOK_NODE);
    expect((p.status as { phase?: string }).phase).toBe("Running");
  }
  return pushed;
}

/** A KubeConfig and a fresh namespace. */
export async function clusterAndNamespace(prefix: string): Promise<{ kc: KubeConfig; ns: string }> {
  const kc = await testKubeConfig();
  const ns = await createNamespace(kc, uniqueName(prefix));
  return { kc, ns };
}

export interface FluxStatus {
  observedGeneration?: number;
  lastHandledReconcileAt?: string;
  lastAppliedRevision?: string;
  lastAttemptedRevision?: string;
  artifact?: { revision: string; url: string; digest: string };
  inventory?: { entries: { id: string; v: string }[] };
  conditions?: { type: string; status: string; reason: string; message: string }[];
}

export async function fluxStatus(kc: KubeConfig, kind: FluxKind, ns: string, name: string): Promise<FluxStatus> {
  const obj = await getObject(kc, fluxRef(kind, ns, name));
  return obj.status ?? {};
}

export function readyCondition(st: FluxStatus): { status: string; reason: string; message: string } | undefined {
  return st.conditions?.find((c) => c.type === "Ready");
}

export async function deployment(kc: KubeConfig, ns: string, name: string): Promise<KubeObject> {
  return await getObject(kc, { group: "apps", version: "v1", plural: "deployments", namespace: ns, name });
}

export async function configMap(kc: KubeConfig, ns: string, name: string): Promise<Record<string, string>> {
  const cm = await getObject(kc, { group: "", version: "v1", plural: "configmaps", namespace: ns, name });
  return (cm.data ?? {}) as Record<string, string>;
}

/** An app: a Deployment, a Service and a ConfigMap whose `message` is given. */
export function appFiles(message: string, dir = "deploy"): Record<string, string> {
  return {
    [`${dir}/deployment.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 2
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      labels:
        app: app
    spec:
      containers:
        - name: app
          image: ghcr.io/stefanprodan/podinfo:6.9.0
          ports:
            - containerPort: 9898
`,
    [`${dir}/service.yaml`]: `apiVersion: v1
kind: Service
metadata:
  name: app
spec:
  selector:
    app: app
  ports:
    - port: 80
      targetPort: 9898
`,
    [`${dir}/configmap.yaml`]: `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  message: ${JSON.stringify(message)}
`,
  };
}
