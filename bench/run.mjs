// `npm run bench`: start-up measured side by side in one run. The three commands
// run interleaved (so machine noise hits all alike) and we report medians and the
// ratios to a bare `node -e 0`. Further benchmarks (bench/*.bench.mjs) run after.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const runs = Number(process.env.BENCH_RUNS ?? 30);
const flux = join(process.cwd(), "bin", "flux.js");
if (!existsSync(join(process.cwd(), "dist", "cli", "entry.js"))) {
  console.error("✗ dist/ is missing: run `npm run build` first");
  process.exit(1);
}

const cases = [
  { name: "node -e 0", args: ["-e", "0"] },
  { name: "flux --version", args: [flux, "--version"] },
  {
    name: "flux create source git --export",
    args: [
      flux,
      "create",
      "source",
      "git",
      "podinfo",
      "--url=https://github.com/stefanprodan/podinfo",
      "--branch=master",
      "--export",
    ],
  },
];

const times = cases.map(() => []);
for (let i = 0; i < runs + 3; i++) {
  cases.forEach((c, idx) => {
    const start = process.hrtime.bigint();
    const res = spawnSync(process.execPath, c.args, { stdio: ["ignore", "ignore", "pipe"] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (res.status !== 0) {
      console.error(`✗ ${c.name} exited ${res.status}: ${res.stderr}`);
      process.exit(1);
    }
    if (i >= 3) times[idx].push(ms); // first runs warm the file cache
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const base = median(times[0]);
console.log(`start-up, median of ${runs} interleaved runs (node ${process.version})`);
console.log("command".padEnd(36) + "median ms".padStart(10) + "ratio".padStart(8));
cases.forEach((c, idx) => {
  const m = median(times[idx]);
  console.log(c.name.padEnd(36) + m.toFixed(1).padStart(10) + (m / base).toFixed(2).padStart(8));
});

// BENCH_STARTUP_ONLY=1 skips the longer benchmarks (they start a test API server).
const extra = process.env.BENCH_STARTUP_ONLY
  ? []
  : readdirSync("bench")
      .filter((f) => f.endsWith(".bench.mjs"))
      .sort();
for (const f of extra) {
  console.log(`\n# ${f}`);
  const res = spawnSync(process.execPath, [join("bench", f)], { stdio: "inherit" });
  if (res.status !== 0) process.exitCode = 1;
}
