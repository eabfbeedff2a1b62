// `npm run bench [-- startup|cluster|reconcile]`: tsflux beside upstream flux v2.9.5
// (built once from its Go module by bench/build-upstream.sh), each pair interleaved in
// one run so machine noise hits both alike: start-up on each available Node version,
// then `get kustomizations -A` over 5,000 objects and `diff kustomization` over 1,000
// in a real kube-apiserver.
// `reconcile` (not in the default run: it starts the Flux controllers) times how soon
// `reconcile kustomization` returns after the controller's Ready transition
// (bench/reconcile.mjs). Naming tables runs only those.
//
//   BENCH_RUNS=40            start-up runs per command (the machine's noise is per process
//                            and bimodal: 20 runs moved a median ratio by about ±0.05)
//   BENCH_STARTUP_ONLY=1     skip the cluster benchmarks (they start a test API server)
//   BENCH_NO_UPSTREAM=1      tsflux alone
//   BENCH_NODES=a:b          node binaries for the start-up table (default: this one,
//                            then Node 22 and 24 if scripts/node-install.sh cached them)
//   TSFLUX_BENCH_KUBECONFIG  reuse a running API server instead of starting one (for
//                            reconcile: one started with `npm run env:up -- --controllers`)
//   BENCH_OBJECTS, BENCH_GET_RUNS, BENCH_DIFF_OBJECTS, BENCH_DIFF_RUNS, BENCH_RECONCILE_RUNS
//   BENCH_ONLY=get|diff      one of the two cluster benchmarks
import { clusterBench } from "./cluster.mjs";
import { reconcileBench } from "./reconcile.mjs";
import { machine, requireBuild, upstreamFlux } from "./lib.mjs";
import { startupBench } from "./startup.mjs";

const TABLES = ["startup", "cluster", "reconcile"];
const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !TABLES.includes(a));
if (unknown.length > 0) {
  console.error(`✗ unknown bench ${unknown[0]}: one of ${TABLES.join(", ")}`);
  process.exit(1);
}
const tables = asked.length > 0 ? asked : process.env.BENCH_STARTUP_ONLY ? ["startup"] : ["startup", "cluster"];

requireBuild();
const upstream = upstreamFlux();
console.log(`machine: ${machine()}`);
console.log(`upstream: ${upstream ? "flux v2.9.5 (Go module build)" : "not available"}\n`);
if (tables.includes("startup")) startupBench({ upstream, runs: Number(process.env.BENCH_RUNS ?? 40) });
for (const [table, bench] of [
  ["cluster", clusterBench],
  ["reconcile", reconcileBench],
]) {
  if (!tables.includes(table)) continue;
  try {
    await bench({ upstream });
  } catch (err) {
    console.error(`✗ ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
