// The controllers mode of the test environment: beside etcd and kube-apiserver,
// kube-controller-manager, kube-scheduler, kwok with one fake Node, and the real
// Flux controllers (source, kustomize, helm, notification) run as host processes.
//
// The split: Deployments (including the controllers' own, from install and
// bootstrap) are scheduled on the kwok Node, whose Pods kwok marks Running and
// Ready, and the real kube-controller-manager completes their rollouts; the Flux
// controllers' real work is done by the host processes, which watch all
// namespaces through the admin kubeconfig.
//
// Ready means reconciled: a controller's /readyz answers before its caches sync,
// so the start waits until a canary GitRepository (served by a local git server)
// and a Kustomization applying a Deployment from it are Ready, which also proves
// the scheduler, kwok and the Deployment controller.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import type { KubeConfig } from "@kubernetes/client-node";
import type { ControllerAssets } from "./assets.js";
import type { TestEnvCerts } from "./certs.js";
import { startGitServer } from "./git-server.js";
import { isStatus, kubeRequest } from "./kube.js";

/** The name of the fake Node kwok manages. */
export const KWOK_NODE = "kwok-node-0";
/** Namespace the controllers consider their own (RUNTIME_NAMESPACE), as in the install bundle. */
export const RUNTIME_NAMESPACE = "flux-system";
const CANARY_NAMESPACE = "tsflux-canary";

export interface ControllersInfo {
  /** Directory of the logs, one `<name>.log` per process. */
  logDir: string;
  /** source-controller's artifact server (storage and advertised address), http://127.0.0.1:PORT */
  storageURL: string;
  /** notification-controller's event server, where the other controllers post events. */
  eventsURL: string;
  /** notification-controller's webhook receiver server (Receivers' /hook/... paths). */
  receiverURL: string;
  /** The notification-controller version running (the pinned one or the newest served patch). */
  notificationControllerVersion: string;
  /** The kwok Node the Pods are scheduled on. */
  node: string;
  timings: { processesMs: number; nodeMs: number; canaryMs: number; totalMs: number };
}

export interface ControllersContext {
  dir: string;
  kubeconfigPath: string;
  kc: KubeConfig;
  certs: TestEnvCerts;
  assets: ControllerAssets;
  deadline: number;
  log: (msg: string) => void;
  freePort: () => Promise<number>;
  /** Starts a process in its own group with `<dir>/<name>.log`, registered for stop() and the watchdog. */
  start: (name: string, bin: string, args: string[], env?: NodeJS.ProcessEnv) => ChildProcess;
}

/** Thrown when a process of the environment exits while the environment starts. */
export class ControllerExitedError extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

export async function startControllers(ctx: ControllersContext): Promise<ControllersInfo> {
  const t0 = Date.now();
  const { dir, kubeconfigPath, assets, certs } = ctx;
  const children: { name: string; child: ChildProcess }[] = [];
  const start = (name: string, bin: string, args: string[], env?: NodeJS.ProcessEnv) => {
    children.push({ name, child: ctx.start(name, bin, args, env) });
  };
  const port = ctx.freePort;
  const loopback = async () => `127.0.0.1:${await port()}`;

  // --- Kubernetes' own controllers and kwok ---------------------------------
  const kcmDir = path.join(dir, "kube-controller-manager");
  mkdirSync(path.join(kcmDir, "flexvolume"), { recursive: true });
  start("kube-controller-manager", assets.kubeControllerManager, [
    `--kubeconfig=${kubeconfigPath}`,
    "--leader-elect=false",
    "--bind-address=127.0.0.1",
    `--secure-port=${await port()}`,
    `--cert-dir=${kcmDir}`,
    // Otherwise it creates a flex-volume plugin directory on the host.
    `--flex-volume-plugin-dir=${path.join(kcmDir, "flexvolume")}`,
    `--service-account-private-key-file=${certs.saKey}`,
    `--root-ca-file=${certs.caCert}`,
    "--use-service-account-credentials=false",
    "--controllers=*",
    // Rollouts and garbage collection in seconds, not the production resync.
    "--concurrent-deployment-syncs=5",
    "--concurrent-gc-syncs=5",
    // On a loaded machine a heartbeat can be late; a Node marked NotReady has its
    // Pods marked NotReady for good (kwok only readies Pending Pods).
    "--node-monitor-grace-period=5m",
  ]);
  const schedDir = path.join(dir, "kube-scheduler");
  mkdirSync(schedDir, { recursive: true });
  start("kube-scheduler", assets.kubeScheduler, [
    `--kubeconfig=${kubeconfigPath}`,
    "--leader-elect=false",
    "--bind-address=127.0.0.1",
    `--secure-port=${await port()}`,
    `--cert-dir=${schedDir}`,
  ]);
  const kwokDir = path.join(dir, "kwok");
  mkdirSync(kwokDir, { recursive: true });
  // kwok exits with "no stages found" without its stage files: one config holding them all.
  const stageFiles = ["node-initialize", "node-heartbeat-with-lease", "pod-ready", "pod-complete", "pod-delete"];
  const kwokConfig = path.join(kwokDir, "stages.yaml");
  writeFileSync(
    kwokConfig,
    stageFiles.map((s) => readFileSync(path.join(assets.kwokStages, `${s}.yaml`), "utf8")).join("\n---\n"),
  );
  start(
    "kwok",
    assets.kwok,
    [
      `--kubeconfig=${kubeconfigPath}`,
      `--config=${kwokConfig}`,
      "--manage-all-nodes=false",
      "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
      `--server-address=${await loopback()}`,
      "--node-ip=127.0.0.1",
      // kwok renews the Node's Lease: kube-controller-manager never sees it stop
      // reporting and never marks its Pods NotReady (kwok would not make them Ready again).
      "--node-lease-duration-seconds=40",
      "--cidr=10.0.1.0/24",
    ],
    { HOME: kwokDir },
  );

  // --- Flux controllers -----------------------------------------------------
  const storagePort = await port();
  const storageAddr = `127.0.0.1:${storagePort}`;
  const eventsPort = await port();
  const receiverPort = await port();
  const eventsURL = `http://127.0.0.1:${eventsPort}/`;
  const flux = async (name: string, bin: string, extra: string[]) => {
    const home = path.join(dir, name);
    mkdirSync(path.join(home, "tmp"), { recursive: true });
    start(
      name,
      bin,
      [
        "--metrics-addr=0",
        `--health-addr=${await loopback()}`,
        "--enable-leader-election=false",
        "--watch-all-namespaces=true",
        "--log-level=info",
        "--log-encoding=console",
        ...extra,
      ],
      { KUBECONFIG: kubeconfigPath, RUNTIME_NAMESPACE, HOME: home, TMPDIR: path.join(home, "tmp") },
    );
  };
  await flux("notification-controller", assets.notificationController, [
    `--events-addr=127.0.0.1:${eventsPort}`,
    `--receiverAddr=127.0.0.1:${receiverPort}`,
  ]);
  // source-controller refuses a storage path that does not exist.
  mkdirSync(path.join(dir, "source-controller", "data"), { recursive: true });
  await flux("source-controller", assets.sourceController, [
    `--storage-path=${path.join(dir, "source-controller", "data")}`,
    // kustomize- and helm-controller download artifacts from the advertised address.
    `--storage-addr=${storageAddr}`,
    `--storage-adv-addr=${storageAddr}`,
    `--events-addr=${eventsURL}`,
  ]);
  await flux("kustomize-controller", assets.kustomizeController, [`--events-addr=${eventsURL}`]);
  await flux("helm-controller", assets.helmController, [
    `--events-addr=${eventsURL}`,
    "--graceful-shutdown-timeout=2s",
  ]);
  const tProcesses = Date.now();

  // Every wait below fails at once, with the log, when a process exits.
  const checkAlive = () => {
    for (const { name, child } of children) {
      if (child.exitCode !== null || child.signalCode !== null) {
        const log = path.join(dir, `${name}.log`);
        throw new ControllerExitedError(
          `${name} exited (${child.exitCode ?? child.signalCode}) while the controllers mode started; last lines of ${log}:\n${tail(log)}`,
        );
      }
    }
  };
  const until = async <T>(what: string, probe: () => Promise<T | undefined>, logs: string[]): Promise<T> => {
    let last = "";
    while (Date.now() < ctx.deadline) {
      checkAlive();
      try {
        const v = await probe();
        if (v !== undefined) return v;
      } catch (err) {
        last = (err as Error).message;
      }
      await sleep(200);
    }
    const logTails = logs.map((n) => `--- ${n}.log:\n${tail(path.join(dir, `${n}.log`), 15)}`).join("\n");
    throw new Error(`timed out waiting for ${what}${last ? ` (${last})` : ""}\n${logTails}`);
  };

  // --- the kwok Node --------------------------------------------------------
  await kubeRequest(ctx.kc, "POST", "/api/v1/nodes", {
    body: {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: KWOK_NODE,
        annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
        labels: {
          "kubernetes.io/arch": "amd64",
          "kubernetes.io/hostname": KWOK_NODE,
          "kubernetes.io/os": "linux",
          "kubernetes.io/role": "agent",
          "node-role.kubernetes.io/agent": "",
          type: "kwok",
        },
      },
      spec: {},
    },
  });
  await until(
    `the kwok Node ${KWOK_NODE} to be Ready`,
    async () => {
      const node = await kubeRequest<{
        spec?: { taints?: { key: string }[] };
        status?: { conditions?: { type: string; status: string }[] };
      }>(ctx.kc, "GET", `/api/v1/nodes/${KWOK_NODE}`);
      const ready = node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
      // kube-controller-manager lifts the not-ready taint once it has seen the Node Ready.
      const tainted = node.spec?.taints?.some((t) => t.key.startsWith("node.kubernetes.io/not-ready"));
      return ready && !tainted ? true : undefined;
    },
    ["kwok", "kube-controller-manager"],
  );
  const tNode = Date.now();

  await reconcileCanary(ctx, until);
  const tCanary = Date.now();
  return {
    logDir: dir,
    storageURL: `http://${storageAddr}`,
    eventsURL,
    receiverURL: `http://127.0.0.1:${receiverPort}`,
    notificationControllerVersion: assets.notificationControllerVersion,
    node: KWOK_NODE,
    timings: {
      processesMs: tProcesses - t0,
      nodeMs: tNode - tProcesses,
      canaryMs: tCanary - tNode,
      totalMs: tCanary - t0,
    },
  };
}

type Until = <T>(what: string, probe: () => Promise<T | undefined>, logs: string[]) => Promise<T>;

interface Conditioned {
  metadata: { generation?: number };
  status?: { observedGeneration?: number; conditions?: { type: string; status: string; message?: string }[] };
}

/** Ready=True at the current generation, else undefined. */
function readyAtGeneration(obj: Conditioned): true | undefined {
  const ready = obj.status?.conditions?.find((c) => c.type === "Ready");
  return ready?.status === "True" && obj.status?.observedGeneration === obj.metadata.generation ? true : undefined;
}

/**
 * A GitRepository on a local git server and a Kustomization applying a Deployment
 * from it with health checks (wait: true) must both be Ready: then source- and
 * kustomize-controller reconcile, the artifact server answers, and the scheduler,
 * kwok and kube-controller-manager roll out Deployments. Everything is deleted after.
 */
async function reconcileCanary(ctx: ControllersContext, until: Until): Promise<void> {
  const git = await startGitServer();
  try {
    await git.createRepo("canary", {
      branch: "main",
      files: {
        "deploy/deployment.yaml": [
          "apiVersion: apps/v1",
          "kind: Deployment",
          "metadata:",
          "  name: canary",
          "spec:",
          "  replicas: 1",
          "  selector:",
          "    matchLabels: { app: canary }",
          "  template:",
          "    metadata:",
          "      labels: { app: canary }",
          "    spec:",
          "      containers:",
          "        - name: canary",
          "          image: registry.invalid/canary:1",
          "",
        ].join("\n"),
      },
    });
    const ns = CANARY_NAMESPACE;
    await kubeRequest(ctx.kc, "POST", "/api/v1/namespaces", {
      body: { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
    });
    await kubeRequest(ctx.kc, "POST", `/apis/source.toolkit.fluxcd.io/v1/namespaces/${ns}/gitrepositories`, {
      body: {
        apiVersion: "source.toolkit.fluxcd.io/v1",
        kind: "GitRepository",
        metadata: { name: "canary", namespace: ns },
        spec: { interval: "10m", url: git.url("canary"), ref: { branch: "main" } },
      },
    });
    const get = (plural: string, group: string) => () =>
      kubeRequest<Conditioned>(ctx.kc, "GET", `/apis/${group}/v1/namespaces/${ns}/${plural}/canary`);
    await until(
      "the canary GitRepository to be Ready",
      async () => readyAtGeneration(await get("gitrepositories", "source.toolkit.fluxcd.io")()),
      ["source-controller"],
    );
    // Only now: a Kustomization without its source's artifact retries after 30s.
    await kubeRequest(ctx.kc, "POST", `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${ns}/kustomizations`, {
      body: {
        apiVersion: "kustomize.toolkit.fluxcd.io/v1",
        kind: "Kustomization",
        metadata: { name: "canary", namespace: ns },
        spec: {
          interval: "10m",
          path: "./deploy",
          prune: true,
          wait: true,
          timeout: "2m",
          targetNamespace: ns,
          sourceRef: { kind: "GitRepository", name: "canary" },
        },
      },
    });
    await until(
      "the canary Kustomization (a Deployment, health-checked) to be Ready",
      async () => readyAtGeneration(await get("kustomizations", "kustomize.toolkit.fluxcd.io")()),
      ["kustomize-controller", "kube-controller-manager", "kube-scheduler", "kwok"],
    );
    // The namespace controller and the Flux finalizers clean the rest up.
    await kubeRequest(ctx.kc, "DELETE", `/api/v1/namespaces/${ns}`).catch((err: unknown) => {
      if (!isStatus(err, 404)) throw err;
    });
  } finally {
    await git.stop();
  }
}
