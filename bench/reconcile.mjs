// `npm run bench -- reconcile`: how soon `flux reconcile kustomization` returns after
// the controller's Ready transition (issue 17: within 200 ms), against the real Flux
// controllers (the test environment's controllers mode), tsflux and upstream flux
// interleaved in one run. Upstream polls the object every 2 s; tsflux watches it.
//
// The bench serves a repository from its own git server (bench/git-server.mjs), creates
// a GitRepository and a Kustomization (interval 1 h: only the command's request makes
// kustomize-controller act) and watches the Kustomization itself. For each run it
// starts the command, sees the request token the command wrote
// (reconcile.fluxcd.io/requestedAt) and the status event in which kustomize-controller
// reports that token handled with Ready=True (the transition), and takes the time from
// that event reaching the bench's watch to the command's exit. Both clocks are the
// bench's own; the command's start-up is not part of the figure (it is in `total`).
//
//   BENCH_RECONCILE_RUNS (default 15)   runs per command, after one unmeasured round
import { spawn } from "node:child_process";
import http from "node:http";
import https from "node:https";
import { KubeConfig } from "@kubernetes/client-node";
import { request, startEnv, stopEnv } from "./cluster.mjs";
import { startBenchGitServer } from "./git-server.mjs";
import { fluxJs, median } from "./lib.mjs";

const KS = "/apis/kustomize.toolkit.fluxcd.io/v1";
const SRC = "/apis/source.toolkit.fluxcd.io/v1";
const REQUESTED_AT = "reconcile.fluxcd.io/requestedAt";

/** Streams watch events of one object; onObject(object, receivedAtMs). Resolves to a stop function. */
async function watchOne(kc, listPath, name, onObject) {
  const url = new URL(`${kc.getCurrentCluster().server}${listPath}`);
  url.searchParams.set("watch", "1");
  url.searchParams.set("fieldSelector", `metadata.name=${name}`);
  const opts = { method: "GET", headers: { Accept: "application/json" } };
  await kc.applyToHTTPSOptions(opts);
  const mod = url.protocol === "http:" ? http : https;
  return await new Promise((resolve, reject) => {
    const req = mod.request(url, opts, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`watch ${listPath}: HTTP ${res.statusCode}`));
      resolve(() => req.destroy());
      let buf = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        const at = performance.now();
        buf += chunk;
        for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line.trim()) onObject(JSON.parse(line).object, at);
        }
      });
    });
    req.on("error", reject);
    req.end();
  });
}

const ready = (o) =>
  o?.status?.observedGeneration === o?.metadata?.generation &&
  o?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");

async function until(what, timeoutMs, fn) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function runCommand(cmd, args) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, start, end: performance.now(), out }));
  });
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

export async function reconcileBench({ upstream }) {
  const runs = Number(process.env.BENCH_RECONCILE_RUNS ?? 15);
  const t0 = Date.now();
  const kubeconfig = await startEnv({ controllers: true });
  const git = await startBenchGitServer();
  const stops = [];
  try {
    console.log(`\ntest environment with the Flux controllers up in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const ns = `bench-reconcile-${Date.now().toString(36)}`;
    git.createRepo("app", {
      "deploy/configmap.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: ${ns}\ndata:\n  greeting: hello\n`,
    });
    await request(kc, "POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    await request(kc, "POST", `${SRC}/namespaces/${ns}/gitrepositories`, {
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "GitRepository",
      metadata: { name: "app", namespace: ns },
      spec: { interval: "1h", url: git.url("app"), ref: { branch: "main" } },
    });
    await request(kc, "POST", `${KS}/namespaces/${ns}/kustomizations`, {
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      metadata: { name: "app", namespace: ns },
      spec: {
        interval: "1h",
        path: "./deploy",
        prune: true,
        sourceRef: { kind: "GitRepository", name: "app" },
      },
    });
    // Every status the bench's watch sees: the latest object, and when each request token was handled with Ready=True.
    let latest;
    const readyAt = new Map();
    stops.push(
      await watchOne(kc, `${KS}/namespaces/${ns}/kustomizations`, "app", (o, at) => {
        latest = o;
        const token = o.status?.lastHandledReconcileAt;
        if (token && ready(o) && !readyAt.has(token)) readyAt.set(token, at);
      }),
    );
    await until("the Kustomization's first Ready", 180_000, () => ready(latest));

    const args = ["reconcile", "kustomization", "app", "-n", ns, "--kubeconfig", kubeconfig, "--timeout=2m"];
    const cases = [{ name: "tsflux reconcile kustomization", cmd: process.execPath, args: [fluxJs, ...args] }];
    if (upstream) cases.push({ name: "upstream reconcile kustomization", cmd: upstream, args });
    for (const c of cases) Object.assign(c, { latency: [], toReady: [], total: [] });
    for (let i = 0; i < runs + 1; i++) {
      for (const c of cases) {
        const before = latest.metadata.annotations?.[REQUESTED_AT];
        const r = await runCommand(c.cmd, c.args);
        if (r.code !== 0) throw new Error(`${c.name} exited ${r.code}: ${r.out.slice(-2000)}`);
        // The command returned after the transition; the bench's own watch may be a moment behind.
        const token = await until("the request token on the bench's watch", 10_000, () => {
          const t = latest.metadata.annotations?.[REQUESTED_AT];
          return t !== before ? t : undefined;
        });
        const at = await until("the Ready transition on the bench's watch", 10_000, () => readyAt.get(token));
        if (i === 0) continue;
        c.latency.push(r.end - at);
        c.toReady.push(at - r.start);
        c.total.push(r.end - r.start);
      }
    }
    console.log(
      `reconcile kustomization against the real kustomize-controller, ${runs} interleaved runs each:\n` +
        "  time from the controller's Ready transition (seen by the bench's watch) to the command's exit, ms",
    );
    // start → Ready: the command's start-up and request plus the controller's work.
    const head = ["", "min", "p50", "p90", "max", "≤200 ms", "start→Ready p50", "total p50"];
    const rows = cases.map((c) => [
      c.name,
      ...[0, 50, 90, 100].map((p) => (p === 0 ? Math.min(...c.latency) : pct(c.latency, p)).toFixed(0)),
      `${c.latency.filter((x) => x <= 200).length}/${c.latency.length}`,
      median(c.toReady).toFixed(0),
      median(c.total).toFixed(0),
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
    const line = (cells) =>
      "  " + cells.map((x, i) => (i === 0 ? String(x).padEnd(widths[i]) : String(x).padStart(widths[i]))).join("  ");
    console.log(line(head));
    for (const r of rows) console.log(line(r));
    console.log(
      `  samples: ${cases.map((c) => `${c.name.split(" ")[0]} [${c.latency.map((x) => x.toFixed(0)).join(" ")}]`).join("; ")}`,
    );
  } finally {
    for (const stop of stops) stop();
    await git.stop();
    stopEnv();
  }
}
