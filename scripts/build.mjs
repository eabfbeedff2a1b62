// Bundles the CLI (dist/cli) and the library (dist/lib, with code splitting).
// Dependencies stay external and load from node_modules on demand.
// Start-up (issue 17): `flux --version` and `create … --export` should cost little more
// than `node -e 0`, so the CLI build also defers the Node built-ins that are slow to
// load (see the builtins plugin) and the entry keeps compiled code between runs.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
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
// The CLI is four files (issue 17: start-up; docs/performance.md):
// - dist/cli/entry.cjs, CommonJS (Node starts no ES module loader for it): answers
//   `--version`, runs `create …` from hot.cjs or create.cjs, and imports main.js for the rest.
// - dist/cli/hot.cjs: the hot path of `create` (commands/create-hot.ts), without commander.
// - dist/cli/create.cjs: the create group alone, CommonJS, for the lines hot.cjs hands
//   back. entry.cjs compiles both with V8's code cache (src/cli/code-cache.ts); their
//   hashes name the caches.
// - dist/cli/main.js: the whole CLI in one ES module, with no code splitting. Every
//   module costs Node a resolution, a read and a link (about half a millisecond each);
//   in one file an engine is still initialised only when its command imports it
//   (esbuild's lazy module wrappers).
// commander is bundled: resolving a package from node_modules costs more than parsing it
// inline; so is yaml in main.js (create.cjs parses no YAML on its way to --export and
// imports yaml from node_modules when a command needs it). A package imported statically
// by any module would load on every command line (checked below).
// create.cjs runs as a vm.Script (src/cli/code-cache.ts), where import() has no module
// loader behind it without an experimental flag: its import() of a package becomes a
// call of the function the loader passes in (IMPORT_FUNCTION), which imports it from
// dist/cli as Node would have.
const IMPORT_FUNCTION = "__tsfluxImport";
function rerouteImports(file, metafile) {
  const specs = new Set(
    Object.values(metafile.outputs)
      .flatMap((o) => o.imports)
      .filter((i) => i.external && i.kind === "dynamic-import")
      .map((i) => i.path),
  );
  let text = readFileSync(file, "utf8");
  for (const spec of specs)
    text = text.split(`import(${JSON.stringify(spec)})`).join(`${IMPORT_FUNCTION}(${JSON.stringify(spec)})`);
  const left = /\bimport\(.{0,60}/.exec(text);
  if (left) {
    console.error(`✗ ${file} keeps an import() its loader cannot serve: ${left[0]}`);
    process.exit(1);
  }
  writeFileSync(file, text);
}
// The hot path of `create …` (src/cli/hot-line.ts) reads command lines against a table
// of every create leaf's flags, read off commander's tree here (src/cli/hot-table.ts) and
// compiled into create.cjs: the flags stay declared once, in commands/.
async function createHotTable() {
  const out = "dist/.hot-table/hot-table.mjs";
  await build({ ...common, splitting: false, entryPoints: ["commands/create-hot-table.ts"], outfile: out });
  try {
    const { createHotTable, hotTableTexts } = await import(pathToFileURL(out).href);
    return hotTableTexts(createHotTable());
  } finally {
    rmSync("dist/.hot-table", { recursive: true, force: true });
  }
}
const hotTables = await createHotTable();

/** An esbuild plugin: `pkg` has no side effects, so an import of it that nothing uses is dropped. */
function noSideEffects(pkg) {
  return {
    name: `no-side-effects:${pkg}`,
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${pkg}$`) }, async (args) => {
        if (args.pluginData?.noSideEffects) return undefined;
        const r = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { noSideEffects: true },
        });
        return { ...r, sideEffects: false };
      });
    },
  };
}

function bundleId(file) {
  return createHash("sha256").update(readFileSync(file)).digest("hex").slice(0, 16);
}
const cliBundles = [
  { name: "main", entry: "commands/main.ts", format: "esm", bundled: ["commander", "yaml"] },
  { name: "create", entry: "commands/create-cli.ts", format: "cjs", bundled: ["commander"] },
  {
    name: "hot",
    entry: "commands/create-hot.ts",
    format: "cjs",
    bundled: [],
    // JSON texts, one per level and leaf: JSON.parse reads them faster than V8 builds the
    // same object literals, and a command line parses only its own leaf's.
    define: { __CREATE_HOT_TABLES__: JSON.stringify(hotTables) },
    // The create commands' files also declare their flags with commander; the hot path
    // uses only their mappers, so commander (a CommonJS package esbuild would otherwise
    // keep for its side effects) is left out unless something uses it (checked below).
    plugins: [noSideEffects("commander")],
  },
];
for (const b of cliBundles) {
  const out = await build({
    ...common,
    packages: undefined,
    format: b.format,
    external: externalsExcept(b.bundled),
    entryPoints: { [b.name]: b.entry },
    outdir: "dist/cli",
    outExtension: b.format === "cjs" ? { ".js": ".cjs" } : {},
    splitting: false,
    metafile: true,
    define: b.define ?? {},
    plugins: [builtins, ...(b.plugins ?? [])],
  });
  const file = Object.keys(out.metafile.outputs)[0];
  if (b.format === "cjs") rerouteImports(file, out.metafile);
  if (b.name === "hot") {
    const inputs = Object.keys(Object.values(out.metafile.outputs)[0].inputs);
    const commander = inputs.filter((i) => i.includes("node_modules/commander/"));
    if (commander.length > 0) {
      console.error(`✗ ${file} includes commander (${commander.join(", ")}): the hot path must not use it`);
      process.exit(1);
    }
  }
  const eager = Object.values(out.metafile.outputs)
    .flatMap((o) => o.imports)
    .filter((i) => i.external && i.kind !== "dynamic-import" && !i.path.startsWith("node:"));
  if (eager.length > 0) {
    console.error(
      `✗ ${file} imports packages statically, so every command would load them: ${[...new Set(eager.map((i) => i.path))].join(", ")}; import them with await import() where they are used`,
    );
    process.exit(1);
  }
  // One non-ASCII character (esbuild escapes strings, not regular expression literals)
  // makes Node decode the whole file the slow way and V8 hold it as a two-byte string.
  const text = readFileSync(file, "latin1");
  const nonAscii = /[^\x00-\x7f]/.exec(text);
  if (nonAscii) {
    console.error(
      `✗ ${file} is not ASCII near: ${text.slice(nonAscii.index - 60, nonAscii.index + 20)}; write the character as \\u escape`,
    );
    process.exit(1);
  }
}
await build({
  ...common,
  packages: undefined,
  format: "cjs",
  external: ["./main.js"],
  entryPoints: { entry: "commands/entry.ts" },
  outdir: "dist/cli",
  outExtension: { ".js": ".cjs" },
  splitting: false,
  // entry.cjs is the package's bin (package.json): the installed `flux` runs it
  // directly, one CommonJS file fewer than through bin/flux.js (about 1 ms of CPU and
  // 2 ms of wall time on Node 24). The facades at its top call process.getBuiltinModule,
  // so the Node check comes first (ASCII: the bundles are checked to be).
  banner: {
    js: [
      "#!/usr/bin/env node",
      '"use strict";',
      'if (typeof process.getBuiltinModule !== "function") {',
      '  process.stderr.write("\\u2717 tsflux needs Node.js 22 or later; this is Node.js " + process.version + "\\n");',
      "  process.exit(1);",
      "}",
    ].join("\n"),
  },
  define: {
    __IMPORT_FUNCTION__: JSON.stringify(IMPORT_FUNCTION),
    __CREATE_BUNDLE_ID__: JSON.stringify(bundleId("dist/cli/create.cjs")),
    __HOT_BUNDLE_ID__: JSON.stringify(bundleId("dist/cli/hot.cjs")),
  },
  plugins: [builtins],
});
chmodSync("dist/cli/entry.cjs", 0o755);
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
