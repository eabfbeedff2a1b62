// Loads a CommonJS bundle with V8's compiled code for it, kept between runs (issue 17:
// `create … --export` within 1.2× `node -e 0`). Node's own compile cache
// (module.enableCompileCache) stores the code V8 compiled when the file was loaded:
// V8 compiles a function only when it is first called, so that is little more than
// the top level, and every run compiles commander's parser, the generator and the
// YAML printer again. Here the cache is taken at exit, after the command ran, so it
// holds every function the command line used; the next run compiles nothing it had
// compiled before. V8 checks that a cache fits this V8 and these flags (a misfit is
// rejected and rewritten); the header names the bundle it was made from, since V8
// itself compares only the source's length.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Script } from "node:vm";

/** The directory for compiled code: $XDG_CACHE_HOME/tsflux/compile-cache, else ~/.cache/…; undefined when caching is off. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const home = env.XDG_CACHE_HOME || (env.HOME && join(env.HOME, ".cache"));
  return home ? join(home, "tsflux", "compile-cache") : undefined;
}

/** What the bundle calls for import() (scripts/build.mjs rewrites its import() calls to it). */
export type Importer = (specifier: string) => Promise<unknown>;

/**
 * Runs the CommonJS bundle `file` (built by scripts/build.mjs, which names it by
 * `bundleId`) and returns its exports. With a `cacheDir`, compiled code is read from
 * and, when missing or rejected, written at exit to `<cacheDir>/<name>-<node>-<arch>.bin`;
 * any failure to read or write it only costs the compile. The caller names the exports' type.
 */
export function requireWithCodeCache(
  file: string,
  bundle: { id: string; importFunction: string; importer: Importer },
  cacheDir: string | undefined,
): unknown {
  const source = readFileSync(file, "utf8");
  const cacheFile =
    cacheDir &&
    join(cacheDir, `${file.replace(/^.*[\\/]/, "").replace(/\.c?js$/, "")}-${process.version}-${process.arch}.bin`);
  const header = Buffer.from(`tsflux code cache ${bundle.id}\n`);
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      const data = readFileSync(cacheFile);
      if (data.subarray(0, header.length).equals(header)) cachedData = data.subarray(header.length);
    } catch {
      // no cache yet
    }
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname, ${bundle.importFunction}) {${source}\n})`;
  const script = new Script(wrapped, { filename: file, cachedData });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    process.once("exit", () => {
      // Written aside and renamed: a process starting meanwhile reads the old cache or the new, whole.
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        const data = Buffer.concat([header, script.createCachedData()]);
        mkdirSync(dirname(cacheFile), { recursive: true });
        writeFileSync(tmp, data);
        renameSync(tmp, cacheFile);
      } catch {
        // no cache: the next run compiles again
        try {
          rmSync(tmp, { force: true });
        } catch {
          // the directory could not be made: there is no file either
        }
      }
    });
  }
  const module: { exports: unknown } = { exports: {} };
  const run = script.runInThisContext() as (
    exports: unknown,
    require: (id: string) => never,
    module: { exports: unknown },
    filename: string,
    dirname: string,
    importer: Importer,
  ) => void;
  run(
    module.exports,
    (id) => {
      throw new Error(`${file} requires ${id}: the bundle reaches packages with import() only`);
    },
    module,
    file,
    dirname(file),
    bundle.importer,
  );
  return module.exports;
}
