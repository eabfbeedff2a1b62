// The esbuild plugin that routes the CLI bundle's imports of Node built-ins through
// process.getBuiltinModule (scripts/build.mjs); test/unit/build/builtins.test.ts
// checks the facades it generates.
import { builtinModules, createRequire } from "node:module";
import { promisify } from "node:util";

const promisifyCustom = promisify.custom;
const requireHere = createRequire(import.meta.url);

// Node's ESM wrapper of a built-in reads every export when it is first imported:
// `import { readFileSync } from "node:fs"` also loads fs/promises, readline and the
// stream machinery through fs's getters. In the CLI bundle every built-in import
// becomes a facade over process.getBuiltinModule (the CommonJS object, no wrapper):
// functions and values are exported as read once, getters are left unread.
// Loading node:child_process pulls in net, dgram and stream internals; node:crypto
// and node:zlib initialise OpenSSL and zlib: milliseconds that `create … --export`
// and `--version` never use; node:tty loads net, wanted only to ask whether a character
// device is a terminal (src/cli/stdio.ts); node:module loads the ES module loader, wanted
// only to turn on the compile cache for dist/cli/main.js (commands/entry.ts). Their
// facades load the module on a function's first call. A class or constant cannot be
// deferred: importing one of those by name from a deferred module fails the build; a
// default import is an object that loads the module on first property access.
export const DEFERRED = new Set(["child_process", "crypto", "module", "os", "tty", "zlib"]);

export function builtinFacade(name) {
  const bare = name.replace(/^node:/, "");
  const real = requireHere(`node:${bare}`);
  const exported = [];
  for (const [key, desc] of Object.entries(Object.getOwnPropertyDescriptors(real))) {
    if (!/^[A-Za-z_$][\w$]*$/.test(key) || key === "default" || !desc.enumerable || !("value" in desc)) continue;
    // Top-level copies of a member of `constants` (fs.F_OK, R_OK, W_OK, X_OK) are
    // deprecated (DEP0176): plain values on the Node that builds, getters that warn on
    // stderr on Node 24. The facade reads each export once, so it leaves them out; code
    // reads them through `constants`.
    if (key !== "constants" && real.constants && typeof real.constants === "object" && key in real.constants) continue;
    exported.push([key, typeof desc.value === "function" && /^[a-z]/.test(key)]);
  }
  const get = `process.getBuiltinModule(${JSON.stringify(`node:${bare}`)})`;
  if (DEFERRED.has(bare)) {
    return [
      `let m; const load = () => (m ??= ${get});`,
      `const PROMISIFY = Symbol.for("nodejs.util.promisify.custom");`,
      ...exported
        .filter(([, fn]) => fn)
        .flatMap(([k]) => [
          `export function ${k}(...a) { return load().${k}(...a); }`,
          // util.promisify(execFile) and friends use the real function's own promise form.
          ...(real[k][promisifyCustom]
            ? [`Object.defineProperty(${k}, PROMISIFY, { get: () => load().${k}[PROMISIFY] });`]
            : []),
        ]),
      `export default new Proxy({}, { get: (_, k) => load()[k], has: (_, k) => k in load() });`,
    ].join("\n");
  }
  // Each export is read in a call esbuild may drop: a bundle reads only what it uses
  // (reading fs.Dir or fs.opendir loads internal/fs/dir on Node 24, where they are getters).
  return [
    `const m = ${get};`,
    ...exported.map(([k]) => `export const ${k} = /* @__PURE__ */ (() => m.${k})();`),
    `export default m;`,
  ].join("\n");
}

const BARE_BUILTIN = new RegExp(
  `^(${builtinModules.map((m) => m.replace(/[/\\^$.*+?()[\]{}|]/g, "\\$&")).join("|")})$`,
);

export const builtins = {
  name: "builtins",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({
      path: args.path,
      namespace: args.kind === "require-call" ? "builtin-cjs" : "builtin-esm",
    }));
    // Bundled packages may name built-ins without the prefix (yaml requires "process").
    b.onResolve({ filter: BARE_BUILTIN }, (args) => ({
      path: `node:${args.path}`,
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
