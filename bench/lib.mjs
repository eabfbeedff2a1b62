// Shared pieces of `npm run bench`: timing a command (wall, CPU, peak RSS), medians,
// the upstream flux binary, and the side-by-side table.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// What an installed `flux` runs: the package's bin (dist/cli/entry.cjs), not the clone's
// bin/flux.js launcher, which loads it as a second file.
export const fluxJs = path.join(root, JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).bin.flux);

export function requireBuild() {
  if (!existsSync(path.join(root, "dist", "cli", "entry.cjs"))) {
    console.error("✗ dist/ is missing: run `npm run build` first");
    process.exit(1);
  }
}

const scratch = mkdtempSync(path.join(os.tmpdir(), "tsflux-bench-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
export { scratch };

// bench/rusage.py reports the child's own wall time, CPU time and peak RSS (wait4),
// which a spawn from Node cannot; without python3 only the wall time is known.
const python = spawnSync("python3", ["--version"]).status === 0 ? "python3" : undefined;
const rusage = path.join(root, "bench", "rusage.py");

/**
 * Runs a command once and measures it.
 * @returns {{ wallMs: number, cpuMs: number|undefined, rssMb: number|undefined, status: number, stdout: string, stderr: string }}
 */
export function measure(cmd, args, { env, cwd, input } = {}) {
  const statFile = path.join(scratch, "rusage.txt");
  const [file, argv] = python ? [python, [rusage, statFile, cmd, ...args]] : [cmd, args];
  const start = process.hrtime.bigint();
  const res = spawnSync(file, argv, {
    env: env ?? process.env,
    cwd: cwd ?? root,
    input,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  let wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.error) throw res.error;
  let cpuMs;
  let rssMb;
  if (python) {
    const stat = readFileSync(statFile, "utf8").trim().split(" ").map(Number);
    [wallMs, cpuMs, rssMb] = [stat[0], stat[1], stat[2] / 1024];
  }
  return { wallMs, cpuMs, rssMb, status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** The lower quartile: the bench's machine is noisy per process (bimodal), and this says how the fast runs compare. */
export function lowerQuartile(xs) {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  return s.length === 0 ? undefined : s[Math.floor((s.length - 1) / 4)];
}

export function median(xs) {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs each case `runs` times, interleaved (machine noise hits every case alike),
 * after `warm` unmeasured rounds. A case's check(result) throws on a wrong answer.
 */
export function interleave(cases, runs, warm = 2) {
  const samples = cases.map(() => []);
  for (let i = 0; i < runs + warm; i++) {
    cases.forEach((c, idx) => {
      const r = measure(c.cmd, c.args, c);
      if (r.status !== (c.okStatus ?? 0)) throw new Error(`${c.name} exited ${r.status}: ${r.stderr.slice(-2000)}`);
      c.check?.(r);
      c.lastStdout = r.stdout;
      if (i >= warm) samples[idx].push(r);
    });
  }
  return cases.map((c, idx) => ({
    ...c,
    runs: samples[idx].length,
    wallMs: median(samples[idx].map((r) => r.wallMs)),
    wallQ1Ms: lowerQuartile(samples[idx].map((r) => r.wallMs)),
    cpuMs: median(samples[idx].map((r) => r.cpuMs)),
    rssMb: Math.max(...samples[idx].map((r) => r.rssMb ?? 0)) || undefined,
  }));
}

/** The upstream flux binary (built once by bench/build-upstream.sh), or undefined with a note. */
export function upstreamFlux() {
  if (process.env.BENCH_NO_UPSTREAM) return undefined;
  const res = spawnSync("bash", [path.join(root, "bench", "build-upstream.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const bin = res.stdout.trim().split("\n").pop();
  if (res.status !== 0 || !bin || !existsSync(bin)) {
    console.error("⚠ upstream flux could not be built: comparing tsflux alone");
    return undefined;
  }
  return bin;
}

/** Node binaries to measure start-up on: this one, then Node 22 and 24 from the CI cache when present. */
export function nodeBinaries() {
  if (process.env.BENCH_NODES) return process.env.BENCH_NODES.split(":").filter(Boolean);
  const nodes = [process.execPath];
  const res = spawnSync("bash", [path.join(root, "scripts", "node-install.sh"), "--cached", "22", "24"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  for (const bin of res.stdout.split("\n").filter(Boolean)) if (!nodes.includes(bin)) nodes.push(bin);
  return nodes;
}

export function nodeVersion(bin) {
  return spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout.trim();
}

const fmt = (x, digits = 0) => (x === undefined ? "-" : x.toFixed(digits));

/** Prints rows of { name, wallMs, cpuMs, rssMb, ratio?, ratioLabel? } as an aligned table. */
export function printTable(title, rows, ratioLabel) {
  console.log(title);
  const head = ["", "median wall ms", "cpu ms", "peak RSS MB", ratioLabel ?? ""];
  const lines = rows.map((r) => [r.name, fmt(r.wallMs, 1), fmt(r.cpuMs, 1), fmt(r.rssMb, 1), r.ratio ?? ""]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const row = (cells) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
  console.log("  " + row(head));
  for (const l of lines) console.log("  " + row(l));
}

export function machine() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`;
}
