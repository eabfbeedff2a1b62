// Bundles the CLI (dist/cli) and the library (dist/lib, with code splitting).
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
// The CLI is two files. dist/cli/entry.js answers `--version` and otherwise imports
// dist/cli/main.js: the whole CLI in one file, with no code splitting. Every module
// costs Node a resolution, a read and a link (about half a millisecond each), and
// split chunks put twenty of them on the path of `create … --export`; in one file an
// engine is still initialised only when its command imports it (esbuild's lazy module
// wrappers). commander and yaml are bundled too: resolving a package from node_modules
// costs more than parsing it inline, and a package imported statically by any module
// would load on every command line (checked below).
await build({
  ...common,
  packages: undefined,
  external: ["./main.js"],
  entryPoints: { entry: "commands/entry.ts" },
  outdir: "dist/cli",
  splitting: false,
  plugins: [builtins],
});
const cli = await build({
  ...common,
  packages: undefined,
  external: externalsExcept(["commander", "yaml"]),
  entryPoints: { main: "commands/main.ts" },
  outdir: "dist/cli",
  splitting: false,
  metafile: true,
  plugins: [builtins],
});
const eager = Object.values(cli.metafile.outputs)
  .flatMap((out) => out.imports)
  .filter((i) => i.external && i.kind === "import-statement" && !i.path.startsWith("node:"));
if (eager.length > 0) {
  console.error(
    `✗ the CLI imports packages statically, so every command would load them: ${[...new Set(eager.map((i) => i.path))].join(", ")}; import them with await import() where they are used`,
  );
  process.exit(1);
}
// One non-ASCII character (esbuild escapes strings, not regular expression literals)
// makes Node decode the whole file the slow way and V8 hold it as a two-byte string.
const nonAscii = /[^\x00-\x7f]/.exec(readFileSync("dist/cli/main.js", "latin1"));
if (nonAscii) {
  console.error(
    `✗ dist/cli/main.js is not ASCII near: ${readFileSync("dist/cli/main.js", "latin1").slice(nonAscii.index - 60, nonAscii.index + 20)}; write the character as \\u escape`,
  );
  process.exit(1);
}
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
