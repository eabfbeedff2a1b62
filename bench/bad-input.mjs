// Runs tsflux and upstream flux v2.9.5 on every malformed invocation of
// test/support/bad-inputs.ts and counts, for each, the cases that end with one ✗ line,
// a non-zero exit and nothing on stdout. Writes bench/results/bad-input.json, which
// docs/reliability.md (npm run reliability) quotes for upstream.
//   node bench/bad-input.mjs
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { format } from "prettier";
import { fluxJs, requireBuild, root, scratch, upstreamFlux } from "./lib.mjs";

requireBuild();
const bundled = path.join(scratch, "bad-inputs.mjs");
await build({
  entryPoints: [path.join(root, "test/support/bad-inputs.ts")],
  outfile: bundled,
  format: "esm",
  logLevel: "warning",
});
const { BAD_INPUTS, UNREACHABLE_KUBECONFIG } = await import(bundled);
const kubeconfig = path.join(scratch, "kubeconfig");
writeFileSync(kubeconfig, UNREACHABLE_KUBECONFIG, { mode: 0o600 });

function measure(cmd, prefix) {
  const failing = [];
  for (const c of BAD_INPUTS) {
    const r = spawnSync(cmd, [...prefix, ...c.args, "--kubeconfig", kubeconfig], {
      env: { ...process.env, HOME: scratch, NO_COLOR: "1", GITHUB_TOKEN: "", GITLAB_TOKEN: "" },
      encoding: "utf8",
      timeout: 30_000,
      input: "",
    });
    const lines = (r.stderr ?? "").split("\n").filter((l) => l.startsWith("✗"));
    if (!(r.status !== 0 && lines.length === 1 && r.stdout === "")) failing.push(c.what);
  }
  return { tried: BAD_INPUTS.length, clear: BAD_INPUTS.length - failing.length, failing };
}

const tsflux = measure(process.execPath, [fluxJs]);
const bin = upstreamFlux();
const upstream = bin ? { version: "v2.9.5", ...measure(bin, []) } : undefined;
const out = {
  measured: new Date().toISOString().slice(0, 10),
  machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "unknown CPU"}`,
  tsflux,
  upstream,
};
mkdirSync(path.join(root, "bench/results"), { recursive: true });
writeFileSync(path.join(root, "bench/results/bad-input.json"), await format(JSON.stringify(out), { parser: "json" }));
console.log(
  `tsflux: ${tsflux.clear} of ${tsflux.tried} clear${tsflux.failing.length ? ` (not: ${tsflux.failing.join("; ")})` : ""}`,
);
if (upstream)
  console.log(
    `upstream flux ${upstream.version}: ${upstream.clear} of ${upstream.tried} clear (not: ${upstream.failing.join("; ")})`,
  );
