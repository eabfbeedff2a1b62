// Benchmark: `flux get kustomizations -A` over 5,000 Kustomizations (10 namespaces,
// each with a Ready condition written through the status subresource) in a real
// kube-apiserver. Reports median wall time and peak RSS of the CLI process.
//
//   node bench/get-5000.bench.mjs            (starts a test environment, ~1 min)
//   TSFLUX_BENCH_KUBECONFIG=/path node bench/get-5000.bench.mjs   (reuse one)
//   BENCH_OBJECTS=5000 BENCH_GET_RUNS=5
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { KubeConfig } from "@kubernetes/client-node";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const flux = path.join(root, "bin", "flux.js");
const total = Number(process.env.BENCH_OBJECTS ?? 5000);
const runs = Number(process.env.BENCH_GET_RUNS ?? 5);
const namespaces = 10;
const runId = Date.now().toString(36);

if (!existsSync(path.join(root, "dist", "cli", "entry.js"))) {
  console.error("✗ dist/ is missing: run `npm run build` first");
  process.exit(1);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), "tsflux-bench-"));
let envProc;

async function startEnv() {
  if (process.env.TSFLUX_BENCH_KUBECONFIG) return process.env.TSFLUX_BENCH_KUBECONFIG;
  envProc = spawn(process.execPath, [path.join(root, "scripts", "testenv-up.mjs")], {
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

function stopEnv() {
  if (envProc && envProc.exitCode === null) envProc.kill("SIGTERM");
  rmSync(tmp, { recursive: true, force: true });
}

let agent;
async function request(kc, method, p, body, contentType = "application/json") {
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

async function populate(kc) {
  const t0 = Date.now();
  const nsNames = Array.from({ length: namespaces }, (_, i) => `bench-${runId}-${i}`);
  for (const ns of nsNames)
    await request(kc, "POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  const items = Array.from({ length: total }, (_, i) => ({
    ns: nsNames[i % namespaces],
    name: `app-${String(i).padStart(5, "0")}`,
  }));
  const base = "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces";
  await pool(items, 64, async ({ ns, name }, i) => {
    await request(kc, "POST", `${base}/${ns}/kustomizations`, {
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
      `${base}/${ns}/kustomizations/${name}/status`,
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
  return Date.now() - t0;
}

function runGet(kubeconfig) {
  const rssFile = path.join(tmp, `rss-${Math.random().toString(36).slice(2)}`);
  const preload = path.join(tmp, "rss.mjs");
  writeFileSync(
    preload,
    `import { writeFileSync } from "node:fs";\nprocess.on("exit", () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n`,
  );
  const start = process.hrtime.bigint();
  const res = spawnSync(
    process.execPath,
    ["--import", `file://${preload}`, flux, "--kubeconfig", kubeconfig, "get", "kustomizations", "-A"],
    {
      env: { ...process.env, BENCH_RSS_FILE: rssFile },
      maxBuffer: 1 << 30,
      encoding: "utf8",
    },
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.status !== 0) throw new Error(`flux get exited ${res.status}: ${res.stderr}`);
  const rows = res.stdout.split("\n").filter((l) => l.startsWith(`bench-${runId}-`)).length;
  const rssKb = Number(readFileSync(rssFile, "utf8"));
  return { ms, rssMb: rssKb / 1024, rows };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

try {
  const tEnv = Date.now();
  const kubeconfig = await startEnv();
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const envMs = Date.now() - tEnv;
  const popMs = await populate(kc);
  const results = [];
  for (let i = 0; i < runs + 1; i++) {
    const r = runGet(kubeconfig);
    if (r.rows !== total) throw new Error(`expected ${total} rows, got ${r.rows}`);
    if (i > 0) results.push(r); // the first run warms the API server's cache
  }
  const wall = median(results.map((r) => r.ms));
  const rss = Math.max(...results.map((r) => r.rssMb));
  console.log(`get kustomizations -A over ${total} objects in ${namespaces} namespaces (node ${process.version})`);
  console.log(`  environment ${(envMs / 1000).toFixed(1)}s, populate ${(popMs / 1000).toFixed(1)}s`);
  console.log(
    `  wall time   median ${wall.toFixed(0)} ms of ${runs} runs (min ${Math.min(...results.map((r) => r.ms)).toFixed(0)}, max ${Math.max(...results.map((r) => r.ms)).toFixed(0)})`,
  );
  console.log(`  peak RSS    ${rss.toFixed(1)} MB`);
  if (process.env.BENCH_JSON)
    writeFileSync(
      process.env.BENCH_JSON,
      JSON.stringify({ objects: total, wallMs: wall, peakRssMb: rss, runs: results }, null, 2),
    );
} catch (err) {
  console.error(`✗ ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  agent?.destroy();
  stopEnv();
}
