// Bundles the CLI with code splitting: the entry holds commander and the command
// tree; each engine is a chunk loaded only by the command that runs it.
// Dependencies stay external and load from node_modules on demand.
// Start-up (issue 17): `flux --version` and `create … --export` should cost little more
// than `node -e 0`, so the CLI build also defers the Node built-ins that are slow to
// load (see the builtins plugin) and bin/flux.js turns on the module compile cache.
import { build } from "esbuild";
import { readFileSync, rmSync } from "node:fs";
import { builtins } from "./build-builtins.mjs";

function externalsExcept(bundled) {
  const pkg = JSON.parse(readFileSync("package.json", "utf8"));
  return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
    .filter((name) => !bundled.includes(name))
    .flatMap((name) => [name, `${name}/*`]);
}

rmSync("dist", { recursive: true, force: true });
const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  splitting: true,
  sourcemap: false,
  minify: true,
  keepNames: false,
  legalComments: "none",
  logLevel: "warning",
  // templates/*.tmpl are inlined as strings: nothing is read from disk at run time.
  loader: { ".tmpl": "text" },
};
// commander is bundled into the entry: resolving and loading it from node_modules
// as CommonJS costs more at start-up than parsing it inline.
await build({
  ...common,
  packages: undefined,
  external: externalsExcept(["commander"]),
  entryPoints: { entry: "commands/entry.ts" },
  outdir: "dist/cli",
  chunkNames: "chunks/[name]-[hash]",
  plugins: [builtins],
});
await build({
  ...common,
  entryPoints: { index: "src/index.ts" },
  outdir: "dist/lib",
  chunkNames: "chunks/[name]-[hash]",
});

// Type declarations for library users (the package's "types"). A type error here
// is reported but does not stop the CLI bundle from being usable.
import { spawnSync } from "node:child_process";
if (!process.env.TSFLUX_SKIP_TYPES) {
  const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
    stdio: "inherit",
  });
  if (tsc.status !== 0) console.error("warning: type declarations were emitted with errors (see above)");
}
