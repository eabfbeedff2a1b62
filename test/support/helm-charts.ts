// Test charts: the demo chart of test/fixtures/helm packaged at a given version with
// the real helm, a chart repository index written by `helm repo index`, and
// `helm push` to an OCI registry.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runHelm } from "../../src/helm/binary.js";

export const DEMO_CHART = path.resolve("test/fixtures/helm/demo");

/** Runs helm with a throw-away home. */
export async function helm(args: string[]): Promise<string> {
  const home = await mkdtemp(path.join(os.tmpdir(), "tsflux-test-helm-"));
  try {
    return await runHelm(args, { home });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** Copies the demo chart to `dir/demo` at `version` (appVersion follows); returns the chart dir. */
export async function demoChartAt(dir: string, version: string): Promise<string> {
  const chart = path.join(dir, "demo");
  await rm(chart, { recursive: true, force: true });
  await cp(DEMO_CHART, chart, { recursive: true });
  const file = path.join(chart, "Chart.yaml");
  const text = (await readFile(file, "utf8"))
    .replace(/^version: .*$/m, `version: ${version}`)
    .replace(/^appVersion: .*$/m, `appVersion: "${version}"`);
  await writeFile(file, text);
  return chart;
}

/** Packages the demo chart at each version into `repoDir` and indexes it (relative URLs). */
export async function chartRepository(repoDir: string, versions: string[]): Promise<string[]> {
  await mkdir(repoDir, { recursive: true });
  const work = await mkdtemp(path.join(os.tmpdir(), "tsflux-test-chart-"));
  const out: string[] = [];
  try {
    for (const v of versions) {
      const chart = await demoChartAt(work, v);
      await helm(["package", chart, "--destination", repoDir]);
      out.push(path.join(repoDir, `demo-${v}.tgz`));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  await helm(["repo", "index", repoDir]);
  return out;
}
