#!/usr/bin/env node
// Runs test/env/up.ts without a build step or tsx: esbuild (a devDependency)
// bundles it to a temp file, leaving npm packages external, and we import it.
// Prints `KUBECONFIG=<path>` on stdout when the environment is ready; Ctrl-C stops it.
import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.env.TSFLUX_REPO_ROOT ??= root;
// The bundle imports @kubernetes/client-node and yaml; it must live where Node
// resolves the repo's node_modules, so put it in node_modules/.cache.
const outDir = mkdtempSync(path.join(root, "node_modules", ".cache-tsflux-testenv-"));
const outfile = path.join(outDir, "up.mjs");
try {
  await build({
    entryPoints: [path.join(root, process.env.TSFLUX_TS_ENTRY ?? "test/env/up.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
    // templates/*.tmpl as strings, as in the CLI build.
    loader: { ".tmpl": "text" },
  });
} catch (err) {
  rmSync(outDir, { recursive: true, force: true });
  throw err;
}
// Loaded into memory on import; the file itself is no longer needed.
process.on("exit", () => rmSync(outDir, { recursive: true, force: true }));
await import(pathToFileURL(outfile).href);
