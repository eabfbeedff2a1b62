// Benchmarks against a real kube-apiserver (the test environment), tsflux and
// upstream flux interleaved in one run:
//   - `get kustomizations -A` over BENCH_OBJECTS (5,000) Kustomizations in 10
//     namespaces, each with a Ready condition written through the status subresource;
//   - `diff kustomization --path` over BENCH_DIFF_OBJECTS (1,000) ConfigMaps, of which
//     every 10th drifted and every 20th not yet created.
// Reports median wall time, CPU time and peak RSS, checks both print the same table
// and report the same changes.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { fluxJs, interleave, printTable, root, scratch } from "./lib.mjs";

const runId = Date.now().toString(36);
let envProc;

/**
 * Starts the test environment (or reuses TSFLUX_BENCH_KUBECONFIG); resolves its kubeconfig path.
 * With `controllers`, the real Flux controllers run beside the API server (`env:up -- --controllers`).
 */
export async function startEnv({ controllers = false } = {}) {
  if (process.env.TSFLUX_BENCH_KUBECONFIG) return process.env.TSFLUX_BENCH_KUBECONFIG;
  const args = controllers ? ["--controllers"] : [];
  envProc = spawn(process.execPath, [path.join(root, "scripts", "testenv-up.mjs"), ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TSFLUX_TESTENV_QUIET: "1" },
  });
  let err = "";
  envProc.stderr.on("data", (d) => (err += d));
  return await new Promise((resolve, reject) => {
    let out = "";
    envProc.stdout.on("data", (d) => {
      out += d;
      const m = /KUBECONFIG=(\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    envProc.on("exit", (code) => reject(new Error(`test environment exited (${code}): ${err.slice(-2000)}`)));
  });
}

export function stopEnv() {
  agent?.destroy();
  if (envProc && envProc.exitCode === null) envProc.kill("SIGTERM");
}

let agent;
// The API server closes idle keep-alive connections (the bench idles between
// phases): a request that finds its socket gone is sent again once.
export async function request(kc, method, p, body, contentType) {
  try {
    return await requestOnce(kc, method, p, body, contentType);
  } catch (err) {
    if (err?.code !== "ECONNRESET" && err?.code !== "EPIPE") throw err;
    return await requestOnce(kc, method, p, body, contentType);
  }
}

async function requestOnce(kc, method, p, body, contentType = "application/json") {
  const cluster = kc.getCurrentCluster();
  const url = new URL(cluster.server + p);
  const opts = { method, headers: { Accept: "application/json" } };
  await kc.applyToHTTPSOptions(opts);
  // One keep-alive agent: client-node's fresh agent per request means one TLS handshake each.
  agent ??= new https.Agent({
    ca: opts.ca,
    cert: opts.cert,
    key: opts.key,
    rejectUnauthorized: opts.rejectUnauthorized,
    keepAlive: true,
    maxSockets: 64,
  });
  if (url.protocol === "https:") opts.agent = agent;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  if (payload)
    opts.headers = { ...opts.headers, "Content-Type": contentType, "Content-Length": Buffer.byteLength(payload) };
  const mod = url.protocol === "http:" ? http : https;
  return await new Promise((resolve, reject) => {
    const req = mod.request(url, opts, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode >= 300 && res.statusCode !== 409)
          reject(new Error(`${method} ${p}: ${res.statusCode} ${text.slice(0, 300)}`));
        else resolve(text ? JSON.parse(text) : undefined);
      });
    });
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function pool(items, limit, fn) {
  let i = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (i < items.length) {
        const idx = i++;
        await fn(items[idx], idx);
      }
    }),
  );
}

const KS = "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces";

async function createNamespace(kc, ns) {
  await request(kc, "POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
}

async function populateKustomizations(kc, total, namespaces) {
  const nsNames = Array.from({ length: namespaces }, (_, i) => `bench-${runId}-${i}`);
  for (const ns of nsNames) await createNamespace(kc, ns);
  const items = Array.from({ length: total }, (_, i) => ({
    ns: nsNames[i % namespaces],
    name: `app-${String(i).padStart(5, "0")}`,
  }));
  await pool(items, 64, async ({ ns, name }, i) => {
    await request(kc, "POST", `${KS}/${ns}/kustomizations`, {
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      metadata: { name, namespace: ns, labels: { "kustomize.toolkit.fluxcd.io/name": "flux-system" } },
      spec: {
        interval: "10m",
        prune: true,
        path: `./apps/${name}`,
        sourceRef: { kind: "GitRepository", name: "flux-system" },
        suspend: i % 17 === 0,
      },
    });
    const rev = `main@sha1:${(i * 2654435761).toString(16).padStart(8, "0").repeat(5).slice(0, 40)}`;
    await request(
      kc,
      "PATCH",
      `${KS}/${ns}/kustomizations/${name}/status`,
      {
        status: {
          observedGeneration: 1,
          lastAppliedRevision: rev,
          conditions: [
            {
              type: "Ready",
              status: i % 23 === 0 ? "False" : "True",
              reason: i % 23 === 0 ? "BuildFailed" : "ReconciliationSucceeded",
              message: i % 23 === 0 ? "kustomize build failed: accumulating resources" : `Applied revision: ${rev}`,
              lastTransitionTime: "2024-01-01T00:00:00Z",
              observedGeneration: 1,
            },
          ],
        },
      },
      "application/merge-patch+json",
    );
  });
  return nsNames;
}

const rowsOf = (stdout, prefix) => stdout.split("\n").filter((l) => l.startsWith(prefix)).length;

export async function getBench({ kc, kubeconfig, upstream, runs }) {
  const total = Number(process.env.BENCH_OBJECTS ?? 5000);
  const namespaces = 10;
  const t0 = Date.now();
  await populateKustomizations(kc, total, namespaces);
  const populateS = (Date.now() - t0) / 1000;
  const prefix = `bench-${runId}-`;
  const check = (r) => {
    const rows = rowsOf(r.stdout, prefix);
    if (rows !== total) throw new Error(`expected ${total} rows, got ${rows}`);
  };
  const env = { ...process.env, NO_COLOR: "1" };
  const args = ["--kubeconfig", kubeconfig, "get", "kustomizations", "-A"];
  const cases = [{ name: "tsflux get kustomizations -A", cmd: process.execPath, args: [fluxJs, ...args], env, check }];
  if (upstream) cases.push({ name: "upstream get kustomizations -A", cmd: upstream, args, env, check });
  // One more unmeasured round warms the API server's watch cache for both.
  const res = interleave(cases, runs, 1);
  printTable(
    `get kustomizations -A over ${total} objects in ${namespaces} namespaces (populated in ${populateS.toFixed(0)} s), median of ${runs}`,
    ratios(res),
    "tsflux / upstream",
  );
  if (upstream) {
    const [ours, theirs] = cases.map((c) => c.lastStdout);
    console.log(`  same table bytes as upstream: ${ours === theirs ? "yes" : "NO"}`);
  }
}

/** Fills in ratio = tsflux / upstream for the upstream rows. */
function ratios(res) {
  const ours = res[0];
  return res.map((r, i) =>
    i === 0
      ? r
      : {
          ...r,
          ratio: `wall ${(ours.wallMs / r.wallMs).toFixed(2)}×, RSS ${(ours.rssMb / r.rssMb).toFixed(2)}×`,
        },
  );
}

export async function diffBench({ kc, kubeconfig, upstream, runs }) {
  const total = Number(process.env.BENCH_DIFF_OBJECTS ?? 1000);
  const ns = `bench-diff-${runId}`;
  await createNamespace(kc, ns);
  const cm = (i, value, labels = {}) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `cm-${String(i).padStart(5, "0")}`, namespace: ns, labels: { app: "bench", ...labels } },
    data: { index: String(i), value },
  });
  // The cluster holds every object but each 20th, as kustomize-controller applied
  // them (with its ownership labels); each 10th differs locally.
  const owner = { "kustomize.toolkit.fluxcd.io/name": "bench", "kustomize.toolkit.fluxcd.io/namespace": ns };
  await pool(
    Array.from({ length: total }, (_, i) => i).filter((i) => i % 20 !== 19),
    64,
    async (i) => request(kc, "POST", `/api/v1/namespaces/${ns}/configmaps`, cm(i, "live", owner)),
  );
  await request(kc, "POST", `${KS}/${ns}/kustomizations`, {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name: "bench", namespace: ns },
    spec: { interval: "10m", prune: true, path: "./", sourceRef: { kind: "GitRepository", name: "flux-system" } },
  });
  const dir = path.join(scratch, "diff");
  mkdirSync(dir, { recursive: true });
  const docs = Array.from({ length: total }, (_, i) => cm(i, i % 10 === 3 ? "changed" : "live"));
  const { stringify } = await import("yaml");
  writeFileSync(path.join(dir, "configmaps.yaml"), docs.map((d) => stringify(d)).join("---\n"));
  writeFileSync(path.join(dir, "kustomization.yaml"), "resources:\n  - configmaps.yaml\n");
  const expected = { drifted: docs.filter((_, i) => i % 10 === 3 && i % 20 !== 19).length, created: total / 20 };
  const changes = (stdout) => ({
    drifted: stdout.split("\n").filter((l) => /^► ConfigMap\/\S+ drifted$/.test(l)).length,
    created: stdout.split("\n").filter((l) => /^► ConfigMap\/\S+ created$/.test(l)).length,
  });
  const check = (r) => {
    // diff exits 1 when it finds changes, like upstream.
    if (r.status !== 1) throw new Error(`diff exited ${r.status}: ${r.stderr.slice(-1000)}`);
    const got = changes(r.stdout);
    if (got.drifted !== expected.drifted || got.created !== expected.created)
      throw new Error(`expected ${JSON.stringify(expected)} changes, got ${JSON.stringify(got)}`);
  };
  const env = { ...process.env, NO_COLOR: "1" };
  const args = ["--kubeconfig", kubeconfig, "diff", "kustomization", "bench", "-n", ns, "--path", dir];
  const cases = [
    {
      name: "tsflux diff kustomization",
      cmd: process.execPath,
      args: [fluxJs, ...args],
      env,
      check,
      okStatus: 1,
    },
  ];
  if (upstream)
    cases.push({
      name: "upstream diff kustomization",
      cmd: upstream,
      args: [...args, "--progress-bar=false"],
      env,
      check,
      okStatus: 1,
    });
  const res = interleave(cases, runs, 1);
  printTable(
    `diff kustomization over ${total} ConfigMaps (${expected.drifted} drifted, ${expected.created} to create), median of ${runs}`,
    ratios(res),
    "tsflux / upstream",
  );
}

/** Runs the cluster benchmarks in one test environment. */
export async function clusterBench({ upstream }) {
  const t0 = Date.now();
  const kubeconfig = await startEnv();
  try {
    console.log(`\ntest environment up in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const only = process.env.BENCH_ONLY; // "get" or "diff": one of the two
    if (only !== "diff") await getBench({ kc, kubeconfig, upstream, runs: Number(process.env.BENCH_GET_RUNS ?? 5) });
    if (!only) console.log("");
    if (only !== "get") await diffBench({ kc, kubeconfig, upstream, runs: Number(process.env.BENCH_DIFF_RUNS ?? 3) });
  } finally {
    stopEnv();
  }
}
