// Bundles the CLI with code splitting: the entry holds commander and the command
// tree; each engine is a chunk loaded only by the command that runs it.
// Dependencies stay external and load from node_modules on demand.
import { build } from "esbuild";
import { rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  splitting: true,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
};
await build({ ...common, entryPoints: { entry: "src/cli/entry.ts" }, outdir: "dist/cli", chunkNames: "chunks/[name]-[hash]" });
await build({ ...common, entryPoints: { index: "src/index.ts" }, outdir: "dist/lib", chunkNames: "chunks/[name]-[hash]" });

// Type declarations for library users (the package's "types"). A type error here
// is reported but does not stop the CLI bundle from being usable.
import { spawnSync } from "node:child_process";
if (!process.env.TSFLUX_SKIP_TYPES) {
  const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
    stdio: "inherit",
  });
  if (tsc.status !== 0) console.error("warning: type declarations were emitted with errors (see above)");
}
