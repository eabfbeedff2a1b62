// `npm run bench`: tsflux beside upstream flux v2.9.5 (built once from its Go module by
// bench/build-upstream.sh), each pair interleaved in one run so machine noise hits
// both alike: start-up on each available Node version, then `get kustomizations -A`
// over 5,000 objects and `diff kustomization` over 1,000 in a real kube-apiserver.
//
//   BENCH_RUNS=20            start-up runs per command
//   BENCH_STARTUP_ONLY=1     skip the cluster benchmarks (they start a test API server)
//   BENCH_NO_UPSTREAM=1      tsflux alone
//   BENCH_NODES=a:b          node binaries for the start-up table (default: this one,
//                            then Node 22 and 24 if scripts/node-install.sh cached them)
//   TSFLUX_BENCH_KUBECONFIG  reuse a running API server instead of starting one
//   BENCH_OBJECTS, BENCH_GET_RUNS, BENCH_DIFF_OBJECTS, BENCH_DIFF_RUNS
import { clusterBench } from "./cluster.mjs";
import { machine, requireBuild, upstreamFlux } from "./lib.mjs";
import { startupBench } from "./startup.mjs";

requireBuild();
const upstream = upstreamFlux();
console.log(`machine: ${machine()}`);
console.log(`upstream: ${upstream ? "flux v2.9.5 (Go module build)" : "not available"}\n`);
startupBench({ upstream, runs: Number(process.env.BENCH_RUNS ?? 20) });
if (!process.env.BENCH_STARTUP_ONLY) {
  try {
    await clusterBench({ upstream });
  } catch (err) {
    console.error(`✗ ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
