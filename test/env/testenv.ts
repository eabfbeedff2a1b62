// A real Kubernetes control plane for integration tests, in the spirit of
// controller-runtime's envtest: etcd + kube-apiserver as local processes, a
// client-certificate kubeconfig, and the real Flux CRDs installed and
// Established. In the plain mode no controllers run: tests (or the helpers in
// ./helpers.ts) play the controllers' part by writing status through the status
// subresource. The controllers mode (`controllers: true`, ./controllers.ts) adds
// kube-controller-manager, kube-scheduler, kwok and the real Flux controllers.
import { spawn, type ChildProcess } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { resolveAssets, resolveControllerAssets, type ControllerAssets, type TestEnvAssets } from "./assets.js";
import { ADMIN_USER, generateCerts } from "./certs.js";
import { ControllerExitedError, startControllers, type ControllersInfo } from "./controllers.js";
import { ContentType, kubeRequest } from "./kube.js";

export interface TestEnvOptions {
  /** Install the Flux CRDs (default true). */
  installCRDs?: boolean;
  /** Additional directories or files with CRD yaml to install. */
  extraCRDPaths?: string[];
  /** Extra kube-apiserver flags (e.g. ['--feature-gates=...']); later flags win. */
  apiServerArgs?: string[];
  /** Overall start timeout (default 120s, TSFLUX_TESTENV_START_TIMEOUT in seconds). */
  startTimeoutMs?: number;
  /** Progress logger (default: stderr unless TSFLUX_TESTENV_QUIET=1). */
  log?: (msg: string) => void;
  /**
   * The controllers mode: also kube-controller-manager, kube-scheduler, kwok with one
   * fake Node and the real Flux controllers, ready once a canary GitRepository and
   * Kustomization are reconciled (default false; start timeout then 300s).
   */
  controllers?: boolean;
}

export interface TestEnvTimings {
  assetsMs: number;
  certsMs: number;
  etcdMs: number;
  apiServerMs: number;
  crdsMs: number;
  /** The controllers mode's processes, kwok Node and canary (0 in the plain mode). */
  controllersMs: number;
  totalMs: number;
}

export interface TestEnv {
  /** Absolute path of the admin kubeconfig (client-cert auth, embedded data). */
  kubeconfigPath: string;
  /** API server URL, e.g. https://127.0.0.1:41234 */
  server: string;
  /** A KubeConfig loaded from kubeconfigPath. */
  kubeConfig: KubeConfig;
  /** Temp directory holding certs, etcd data, logs and the kubeconfig (removed by stop()). */
  dir: string;
  assets: TestEnvAssets;
  /** Names of the installed CRDs. */
  crds: string[];
  timings: TestEnvTimings;
  /** Set in the controllers mode: log dir, artifact and notification addresses, versions. */
  controllers?: ControllersInfo | undefined;
  /** Kills kube-apiserver and etcd (whole process groups) and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

const TMP_PREFIX = "tsflux-testenv-";

function defaultLog(msg: string): void {
  if (process.env.TSFLUX_TESTENV_QUIET !== "1") process.stderr.write(`[testenv] ${msg}\n`);
}

// ---------------------------------------------------------------------------
// Process bookkeeping and cleanup on exit/signals

interface Running {
  dir: string;
  procs: ChildProcess[];
  watchdog?: ChildProcess;
  stopped: boolean;
}

const running = new Set<Running>();
let handlersInstalled = false;

function killGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      /* gone */
    }
  }
}

function cleanupSync(r: Running): void {
  if (r.stopped) return;
  r.stopped = true;
  for (const p of r.procs) killGroup(p.pid, "SIGKILL");
  if (r.watchdog?.pid) killGroup(r.watchdog.pid, "SIGKILL");
  if (process.env.TSFLUX_TESTENV_KEEP !== "1") rmSync(r.dir, { recursive: true, force: true });
  running.delete(r);
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", () => {
    for (const r of [...running]) cleanupSync(r);
  });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const handler = () => {
      for (const r of [...running]) cleanupSync(r);
      process.removeListener(sig, handler);
      // If nobody else handles the signal, restore the default behaviour (terminate).
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, handler);
  }
}

/**
 * A detached shell that outlives a SIGKILLed test runner: once our pid is gone
 * it kills the process groups recorded in <dir>/*.pgid and removes <dir>.
 */
function startWatchdog(dir: string): ChildProcess {
  const script = [
    'p="$1"; d="$2"',
    'while kill -0 "$p" 2>/dev/null; do sleep 1; done',
    'g=$(cat "$d"/*.pgid 2>/dev/null)',
    'for x in $g; do kill -TERM "-$x" 2>/dev/null; done',
    "sleep 2",
    'for x in $g; do kill -KILL "-$x" 2>/dev/null; done',
    '[ "$TSFLUX_TESTENV_KEEP" = 1 ] || rm -rf "$d"',
  ].join("\n");
  const w = spawn("sh", ["-c", script, "tsflux-testenv-watchdog", String(process.pid), dir], {
    detached: true,
    stdio: "ignore",
  });
  w.unref();
  return w;
}

/** Removes temp dirs of crashed runs whose owner process is gone (best effort). */
function pruneStaleDirs(): void {
  const tmp = os.tmpdir();
  let entries: string[];
  try {
    entries = readdirSync(tmp).filter((e) => e.startsWith(TMP_PREFIX));
  } catch {
    return;
  }
  for (const e of entries) {
    const dir = path.join(tmp, e);
    try {
      const owner = Number(readFileSync(path.join(dir, "owner.pid"), "utf8").trim());
      if (!owner) continue;
      try {
        process.kill(owner, 0);
        continue; // still alive
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ESRCH") continue;
      }
      rmSync(dir, { recursive: true, force: true });
    } catch {
      /* not ours / racing with another cleanup */
    }
  }
}

// ---------------------------------------------------------------------------
// Helpers

export async function getFreePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === "object" ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function startProcess(dir: string, name: string, bin: string, args: string[], env?: NodeJS.ProcessEnv): ChildProcess {
  const logFile = path.join(dir, `${name}.log`);
  const fd = openSync(logFile, "a");
  try {
    const child = spawn(bin, args, {
      detached: true,
      stdio: ["ignore", fd, fd],
      cwd: dir,
      env: env ? { ...process.env, ...env } : undefined,
    });
    child.on("error", () => {}); // reported through the exit checks below
    if (child.pid) writeFileSync(path.join(dir, `${name}.pgid`), `${child.pid}\n`);
    return child;
  } finally {
    closeSync(fd);
  }
}

class ProcessExitedError extends Error {}

async function waitFor(
  what: string,
  child: ChildProcess,
  logFile: string,
  deadline: number,
  probe: () => Promise<boolean>,
): Promise<void> {
  let lastErr = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new ProcessExitedError(
        `${what} exited (${child.exitCode ?? child.signalCode}) before becoming ready; last log lines of ${logFile}:\n${tail(logFile)}`,
      );
    }
    try {
      if (await probe()) return;
    } catch (err) {
      if (err instanceof ProcessExitedError) throw err;
      lastErr = (err as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what} (${lastErr}); last log lines of ${logFile}:\n${tail(logFile)}`);
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(2000, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

function httpPost(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.setTimeout(2000, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(body);
  });
}

/** Whether the etcd at url is healthy and is the member named name ("other": someone else's). */
export async function etcdAnswering(url: string, name: string): Promise<"ours" | "other" | "not ready"> {
  const health = await httpGet(`${url}/health`);
  if (health.status !== 200 || !health.body.includes("true")) return "not ready";
  const members = await httpPost(`${url}/v3/cluster/member/list`, "{}");
  if (members.status !== 200) return "not ready";
  return members.body.includes(`"name":"${name}"`) ? "ours" : "other";
}

function writeKubeconfig(file: string, server: string, ca: string, cert: string, key: string): void {
  const b64 = (f: string) => readFileSync(f).toString("base64");
  const name = "tsflux-testenv";
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server, "certificate-authority-data": b64(ca) } }],
    users: [{ name: ADMIN_USER, user: { "client-certificate-data": b64(cert), "client-key-data": b64(key) } }],
    contexts: [{ name, context: { cluster: name, user: ADMIN_USER, namespace: "default" } }],
    "current-context": name,
    preferences: {},
  };
  // JSON is valid YAML; kubectl, client-go and @kubernetes/client-node all accept it.
  writeFileSync(file, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
}

interface CRDDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { group: string; names: { plural: string }; versions: { name: string; served: boolean }[] };
}

async function loadCRDs(paths: string[]): Promise<CRDDoc[]> {
  const files: string[] = [];
  for (const p of paths) {
    if (p.endsWith(".yaml") || p.endsWith(".yml")) files.push(p);
    else
      files.push(
        ...(await readdir(p))
          .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
          .sort()
          .map((f) => path.join(p, f)),
      );
  }
  const crds: CRDDoc[] = [];
  for (const f of files) {
    for (const doc of parseAllDocuments(await readFile(f, "utf8"))) {
      const obj = doc.toJS() as CRDDoc | null;
      if (obj?.kind === "CustomResourceDefinition") crds.push(obj);
    }
  }
  return crds;
}

interface CRDStatus {
  status?: { conditions?: { type: string; status: string; message?: string }[] };
}

/** Applies CRDs (server-side apply) and waits until all are Established and served by discovery. */
export async function installCRDs(kc: KubeConfig, crds: CRDDoc[], deadline: number): Promise<void> {
  await Promise.all(
    crds.map((crd) =>
      kubeRequest(kc, "PATCH", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`, {
        body: crd,
        contentType: ContentType.ApplyPatch,
        query: { fieldManager: "tsflux-testenv", force: true },
      }),
    ),
  );
  const pendingCRDs = new Set(crds.map((c) => c.metadata.name));
  let last = "";
  while (pendingCRDs.size > 0) {
    if (Date.now() > deadline) throw new Error(`CRDs not Established in time: ${[...pendingCRDs].join(", ")} ${last}`);
    await Promise.all(
      [...pendingCRDs].map(async (name) => {
        const got = await kubeRequest<CRDStatus>(
          kc,
          "GET",
          `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
        );
        const cond = (t: string) => got.status?.conditions?.find((c) => c.type === t)?.status === "True";
        if (cond("Established") && cond("NamesAccepted")) pendingCRDs.delete(name);
        else last = JSON.stringify(got.status?.conditions ?? []);
      }),
    );
    if (pendingCRDs.size > 0) await sleep(100);
  }
  // Established means served, but discovery may lag a moment behind.
  const byGV = new Map<string, Set<string>>();
  for (const crd of crds) {
    for (const v of crd.spec.versions.filter((x) => x.served)) {
      const gv = `/apis/${crd.spec.group}/${v.name}`;
      const plurals = byGV.get(gv) ?? new Set<string>();
      plurals.add(crd.spec.names.plural);
      byGV.set(gv, plurals);
    }
  }
  for (const [gv, plurals] of byGV) {
    for (;;) {
      try {
        const list = await kubeRequest<{ resources: { name: string }[] }>(kc, "GET", gv);
        const names = new Set(list.resources.map((r) => r.name));
        if ([...plurals].every((p) => names.has(p))) break;
      } catch {
        /* 404 until the group version is served */
      }
      if (Date.now() > deadline) throw new Error(`discovery does not serve ${gv} (${[...plurals].join(", ")}) in time`);
      await sleep(100);
    }
  }
}

// ---------------------------------------------------------------------------
// startTestEnv

/** Starts etcd + kube-apiserver, writes a kubeconfig and installs the Flux CRDs. */
export async function startTestEnv(opts: TestEnvOptions = {}): Promise<TestEnv> {
  const log = opts.log ?? defaultLog;
  const timeoutMs =
    opts.startTimeoutMs ??
    (Number(process.env.TSFLUX_TESTENV_START_TIMEOUT) * 1000 || (opts.controllers ? 300_000 : 120_000));
  const t0 = Date.now();
  installHandlers();
  pruneStaleDirs();

  const assets = await resolveAssets(log);
  const controllerAssets = opts.controllers ? await resolveControllerAssets(log) : undefined;
  const tAssets = Date.now();

  let lastErr: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await startOnce(assets, controllerAssets, opts, log, t0, tAssets, Date.now() + timeoutMs);
    } catch (err) {
      lastErr = err;
      const msg = (err as Error).message;
      // A port grabbed by someone else between picking and binding: retry with fresh ports.
      if (
        (err instanceof ProcessExitedError || err instanceof ControllerExitedError) &&
        /address already in use/i.test(msg)
      ) {
        log(`port collision, retrying (attempt ${attempt})`);
        continue;
      }
      throw err;
    }
  }
  throw lastErr;
}

async function startOnce(
  assets: TestEnvAssets,
  controllerAssets: ControllerAssets | undefined,
  opts: TestEnvOptions,
  log: (msg: string) => void,
  t0: number,
  tAssets: number,
  deadline: number,
): Promise<TestEnv> {
  const dir = mkdtempSync(path.join(os.tmpdir(), TMP_PREFIX));
  writeFileSync(path.join(dir, "owner.pid"), String(process.pid));
  const r: Running = { dir, procs: [], stopped: false };
  running.add(r);
  r.watchdog = startWatchdog(dir);

  const stop = async (): Promise<void> => {
    if (r.stopped) return;
    // Graceful first (the controllers together, then apiserver, then etcd), then
    // SIGKILL whatever is left.
    const term = async (p: ChildProcess) => {
      if (p.exitCode !== null || p.signalCode !== null) return;
      const exited = new Promise<void>((res) => p.once("exit", () => res()));
      killGroup(p.pid, "SIGTERM");
      await Promise.race([exited, sleep(5000)]);
    };
    await Promise.all(r.procs.slice(2).map(term));
    for (const p of r.procs.slice(0, 2).reverse()) await term(p);
    cleanupSync(r);
  };

  try {
    const certDir = path.join(dir, "pki");
    mkdirSync(certDir);
    const certs = await generateCerts(certDir);
    const tCerts = Date.now();

    const [etcdClient, etcdPeer, securePort] = await Promise.all([getFreePort(), getFreePort(), getFreePort()]);
    const etcdURL = `http://127.0.0.1:${etcdClient}`;
    // A name of this environment's own: a free port is picked, released and bound later, so
    // another suite's etcd can hold it by then; its /health would answer this probe, and this
    // API server would share that cluster's storage (its CRDs and objects). Ready means that
    // the etcd on the port is this one.
    const etcdName = `testenv-${path.basename(dir)}`;
    const etcd = startProcess(dir, "etcd", path.join(assets.binDir, "etcd"), [
      `--name=${etcdName}`,
      `--initial-cluster-token=${etcdName}`,
      `--data-dir=${path.join(dir, "etcd-data")}`,
      `--listen-client-urls=${etcdURL}`,
      `--advertise-client-urls=${etcdURL}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=${etcdName}=http://127.0.0.1:${etcdPeer}`,
      "--unsafe-no-fsync=true",
      "--log-level=warn",
    ]);
    r.procs.push(etcd);
    await waitFor("etcd", etcd, path.join(dir, "etcd.log"), deadline, async () => {
      const who = await etcdAnswering(etcdURL, etcdName);
      if (who === "other") {
        throw new ProcessExitedError(`etcd: address already in use: ${etcdURL} is another environment's etcd`);
      }
      return who === "ours";
    });
    const tEtcd = Date.now();

    const server = `https://127.0.0.1:${securePort}`;
    const apiserver = startProcess(dir, "kube-apiserver", path.join(assets.binDir, "kube-apiserver"), [
      `--etcd-servers=${etcdURL}`,
      `--cert-dir=${certDir}`,
      `--tls-cert-file=${certs.servingCert}`,
      `--tls-private-key-file=${certs.servingKey}`,
      `--client-ca-file=${certs.caCert}`,
      `--secure-port=${securePort}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      "--service-cluster-ip-range=10.0.0.0/24",
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${certs.saPub}`,
      `--service-account-signing-key-file=${certs.saKey}`,
      "--authorization-mode=RBAC",
      "--disable-admission-plugins=ServiceAccount",
      "--allow-privileged=true",
      // No kube-controller-manager runs; keep the apiserver from publishing
      // loopback endpoints for the kubernetes Service (rejected as invalid).
      "--endpoint-reconciler-type=none",
      ...(opts.apiServerArgs ?? []),
    ]);
    r.procs.push(apiserver);

    const kubeconfigPath = path.join(dir, "kubeconfig");
    writeKubeconfig(kubeconfigPath, server, certs.caCert, certs.adminCert, certs.adminKey);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    await waitFor("kube-apiserver", apiserver, path.join(dir, "kube-apiserver.log"), deadline, async () => {
      const body = await kubeRequest(kc, "GET", "/readyz", { timeoutMs: 5000 });
      return String(body).trim() === "ok";
    });
    // The bootstrap controller creates "default" shortly after /readyz.
    for (;;) {
      try {
        await kubeRequest(kc, "GET", "/api/v1/namespaces/default");
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await sleep(100);
      }
    }
    const tAPI = Date.now();

    const crdPaths = [...(opts.installCRDs === false ? [] : [assets.crdDir]), ...(opts.extraCRDPaths ?? [])];
    const crds = await loadCRDs(crdPaths);
    if (crds.length > 0) await installCRDs(kc, crds, deadline);
    const tCRDs = Date.now();

    let controllers: ControllersInfo | undefined;
    if (controllerAssets) {
      log("starting kube-controller-manager, kube-scheduler, kwok and the Flux controllers ...");
      controllers = await startControllers({
        dir,
        kubeconfigPath,
        kc,
        certs,
        assets: controllerAssets,
        deadline,
        log,
        freePort: getFreePort,
        start: (name, bin, args, env) => {
          const child = startProcess(dir, name, bin, args, env);
          r.procs.push(child);
          return child;
        },
      });
      const t = controllers.timings;
      log(
        `controllers ready in ${t.totalMs}ms (processes ${t.processesMs}, kwok Node ${t.nodeMs}, canary reconciled ${t.canaryMs}); ` +
          `notification-controller v${controllers.notificationControllerVersion}; logs in ${controllers.logDir}`,
      );
    }
    const tControllers = Date.now();

    const timings: TestEnvTimings = {
      assetsMs: tAssets - t0,
      certsMs: tCerts - tAssets,
      etcdMs: tEtcd - tCerts,
      apiServerMs: tAPI - tEtcd,
      crdsMs: tCRDs - tAPI,
      controllersMs: tControllers - tCRDs,
      totalMs: tControllers - t0,
    };
    log(
      `ready in ${timings.totalMs}ms (assets ${timings.assetsMs}, certs ${timings.certsMs}, etcd ${timings.etcdMs}, ` +
        `kube-apiserver ${timings.apiServerMs}, ${crds.length} CRDs ${timings.crdsMs}) at ${server}; kubeconfig ${kubeconfigPath}`,
    );
    return {
      kubeconfigPath,
      server,
      kubeConfig: kc,
      dir,
      assets,
      crds: crds.map((c) => c.metadata.name),
      timings,
      controllers,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** True if a testenv temp dir still exists (for tests of the harness itself). */
export function testEnvDirExists(dir: string): boolean {
  return existsSync(dir);
}
