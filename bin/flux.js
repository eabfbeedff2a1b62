#!/usr/bin/env node
// tsflux from a clone: `node bin/flux.js <command>`. The bundle is built by `npm run build`
// (run automatically by `npm ci` / `npm install` through the prepare script). The
// package's own `flux` and `tsflux` run dist/cli/entry.cjs directly (package.json "bin"):
// one CommonJS file fewer on the way to `flux --version` or `create … --export` (issue 17).
// CommonJS (bin/package.json), like entry.cjs: Node then starts no ES module loader.
"use strict";

// The bundle reaches Node's built-ins through process.getBuiltinModule (Node >= 20.16).
if (typeof process.getBuiltinModule !== "function") {
  process.stderr.write(`✗ tsflux needs Node.js 22 or later; this is Node.js ${process.version}\n`);
  process.exit(1);
}

try {
  require("../dist/cli/entry.cjs");
} catch (err) {
  if (err && err.code === "MODULE_NOT_FOUND" && String(err.message).includes("dist/cli/entry.cjs")) {
    process.stderr.write("✗ tsflux is not built: run `npm run build` in the package directory\n");
    process.exit(1);
  }
  throw err;
}
