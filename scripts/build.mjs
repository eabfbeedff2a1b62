// Bundles the CLI with code splitting: the entry holds commander and the command
// tree; each engine is a chunk loaded only by the command that runs it.
// Dependencies stay external and load from node_modules on demand.
// Start-up (issue 17): `flux --version` and `create … --export` should cost little more
// than `node -e 0`, so the CLI build also defers the Node built-ins that are slow to
// load (see the builtins plugin) and bin/flux.js turns on the module compile cache.
import { build } from "esbuild";
import { createRequire } from "node:module";
import { readFileSync, rmSync } from "node:fs";

// Node's ESM wrapper of a built-in reads every export when it is first imported:
// `import { readFileSync } from "node:fs"` also loads fs/promises, readline and the
// stream machinery through fs's getters. In the CLI bundle every built-in import
// becomes a facade over process.getBuiltinModule (the CommonJS object, no wrapper):
// functions and values are exported as read once, getters are left unread.
// Loading node:child_process pulls in net, dgram and stream internals; node:crypto
// and node:zlib initialise OpenSSL and zlib: milliseconds that `create … --export`
// and `--version` never use. Their facades load the module on a function's first
// call. A class or constant cannot be deferred: importing one of those by name from
// a deferred module fails the build; a default import is an object that loads the
// module on first property access.
const DEFERRED = new Set(["child_process", "crypto", "zlib"]);
const requireHere = createRequire(import.meta.url);

function builtinFacade(name) {
  const bare = name.replace(/^node:/, "");
  const real = requireHere(`node:${bare}`);
  const exported = [];
  for (const [key, desc] of Object.entries(Object.getOwnPropertyDescriptors(real))) {
    if (!/^[A-Za-z_$][\w$]*$/.test(key) || key === "default" || !desc.enumerable || !("value" in desc)) continue;
    exported.push([key, typeof desc.value === "function" && /^[a-z]/.test(key)]);
  }
  const get = `process.getBuiltinModule(${JSON.stringify(`node:${bare}`)})`;
  if (DEFERRED.has(bare)) {
    return [
      `let m; const load = () => (m ??= ${get});`,
      ...exported.filter(([, fn]) => fn).map(([k]) => `export function ${k}(...a) { return load().${k}(...a); }`),
      `export default new Proxy({}, { get: (_, k) => load()[k], has: (_, k) => k in load() });`,
    ].join("\n");
  }
  return [`const m = ${get};`, ...exported.map(([k]) => `export const ${k} = m.${k};`), `export default m;`].join("\n");
}

const builtins = {
  name: "builtins",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({
      path: args.path,
      namespace: args.kind === "require-call" ? "builtin-cjs" : "builtin-esm",
    }));
    b.onLoad({ filter: /.*/, namespace: "builtin-esm" }, ({ path }) => ({
      loader: "js",
      contents: builtinFacade(path),
    }));
    // commander (bundled, CommonJS) requires its built-ins; there is no `require` in
    // an ESM bundle. child_process (for executable subcommands, unused here) is deferred.
    b.onLoad({ filter: /.*/, namespace: "builtin-cjs" }, ({ path }) => ({
      loader: "js",
      contents: DEFERRED.has(path.replace(/^node:/, ""))
        ? `module.exports = new Proxy({}, { get: (_, k) => process.getBuiltinModule(${JSON.stringify(path)})[k] });`
        : `module.exports = process.getBuiltinModule(${JSON.stringify(path)});`,
    }));
  },
};

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
