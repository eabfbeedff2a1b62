// Shared pieces of the e2e suite: the real CLI in-process against the controllers-mode
// environment, a git server with Basic auth, and reads of what the controllers wrote.
import type { KubeConfig } from "@kubernetes/client-node";
import { inject } from "vitest";
import { runCli, type CliResult } from "../helpers/cli.js";
import {
  createNamespace,
  fluxRef,
  getObject,
  testKubeConfig,
  uniqueName,
  type FluxKind,
  type KubeObject,
} from "../env/helpers.js";

export { runCli, type CliResult };

/** The environment's kubeconfig (the e2e globalSetup's). */
export function kubeconfigPath(): string {
  return inject("kubeconfig");
}

/** Runs tsflux with --kubeconfig of the controllers-mode environment and NO_COLOR. */
export async function flux(...args: string[]): Promise<CliResult> {
  return await runCli([...args, "--kubeconfig", kubeconfigPath()]);
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
  return (obj.status ?? {}) as FluxStatus;
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
