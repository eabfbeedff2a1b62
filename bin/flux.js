#!/usr/bin/env node
// tsflux: the Flux CD command line in TypeScript. The bundle is built by `npm run build`
// (run automatically by `npm ci` / `npm install` through the prepare script).
import module from "node:module";

// The bundle reaches Node's built-ins through process.getBuiltinModule (Node >= 20.16).
if (typeof process.getBuiltinModule !== "function") {
  process.stderr.write(`✗ tsflux needs Node.js 22 or later; this is Node.js ${process.version}\n`);
  process.exit(1);
}

// V8's compiled code for the bundle, kept between runs (Node >= 22.1): start-up then
// skips parsing and compiling. The cache lives in the user's cache directory (the
// package directory may be read-only); any failure just leaves the cache off.
if (module.enableCompileCache && !process.env.NODE_COMPILE_CACHE) {
  try {
    const home = process.env.XDG_CACHE_HOME || (process.env.HOME && `${process.env.HOME}/.cache`);
    if (home) module.enableCompileCache(`${home}/tsflux/compile-cache`);
  } catch {
    // no cache: slower start-up, same behaviour
  }
}

import("../dist/cli/entry.js").catch((err) => {
  if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist/cli/entry.js")) {
    process.stderr.write("✗ tsflux is not built: run `npm run build` in the package directory\n");
    process.exit(1);
  }
  throw err;
});
