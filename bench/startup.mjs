// Start-up, side by side in one run: `node -e 0`, tsflux and upstream flux on
// `--version` and `create source git … --export`, on each Node version available
// (this one, and Node 22 and 24 when scripts/node-install.sh has cached them).
// Targets (issue 17): tsflux within 1.2× `node -e 0` on Node 22 and 24, 1.5× on Node 20.
import { fluxJs, interleave, nodeBinaries, nodeVersion, printTable, scratch } from "./lib.mjs";

const createArgs = [
  "create",
  "source",
  "git",
  "podinfo",
  "--url=https://github.com/stefanprodan/podinfo",
  "--branch=master",
  "--export",
];

export function startupBench({ upstream, runs }) {
  // Upstream loads a kubeconfig even for --export; give both the same empty home.
  const env = { ...process.env, HOME: scratch, KUBECONFIG: "", NO_COLOR: "1" };
  let sameExport;
  const nodes = nodeBinaries();
  for (const node of nodes) {
    const version = nodeVersion(node);
    const major = Number(/^v(\d+)/.exec(version)?.[1]);
    const goal = major >= 22 ? 1.2 : 1.5;
    const cases = [
      { name: "node -e 0", cmd: node, args: ["-e", "0"], env },
      { name: "tsflux --version", cmd: node, args: [fluxJs, "--version"], env },
      { name: "tsflux create source git --export", cmd: node, args: [fluxJs, ...createArgs], env },
    ];
    // Upstream does not depend on Node: measured beside the first Node only.
    if (upstream && node === nodes[0]) {
      cases.push(
        { name: "upstream --version", cmd: upstream, args: ["--version"], env },
        { name: "upstream create source git --export", cmd: upstream, args: createArgs, env },
      );
    }
    const res = interleave(cases, runs);
    // Wall time is the goal; CPU time says the same with less noise on a busy machine.
    // The goal is judged on the median; the lower quartile's ratio shows the same
    // comparison among each command's faster runs.
    const [base, baseCpu, baseQ1] = [res[0].wallMs, res[0].cpuMs, res[0].wallQ1Ms];
    const rows = res.map((r) => {
      let ratio = `${(r.wallMs / base).toFixed(2)}×`;
      if (baseCpu) ratio += ` (cpu ${(r.cpuMs / baseCpu).toFixed(2)}×, q1 ${(r.wallQ1Ms / baseQ1).toFixed(2)}×)`;
      if (r.name.startsWith("tsflux")) ratio += r.wallMs / base <= goal ? ` goal ≤${goal}× ✔` : ` goal ≤${goal}× ✗`;
      return { ...r, ratio };
    });
    printTable(`start-up on node ${version}, median of ${runs} interleaved runs`, rows, "wall vs node -e 0");
    if (upstream && node === nodes[0]) {
      const ours = res.find((r) => r.name === "tsflux create source git --export");
      const theirs = res.find((r) => r.name === "upstream create source git --export");
      console.log(
        `  create --export: tsflux/upstream wall ${(ours.wallMs / theirs.wallMs).toFixed(2)}×, RSS ${(ours.rssMb / theirs.rssMb).toFixed(2)}×`,
      );
      sameExport = { ours: ours.name, theirs: theirs.name };
    }
  }
  return sameExport;
}
