#!/usr/bin/env node
// tsflux: the Flux CD command line in TypeScript. The bundle is built by `npm run build`
// (run automatically by `npm ci` / `npm install` through the prepare script).
import("../dist/cli/entry.js").catch((err) => {
  if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist/cli/entry.js")) {
    process.stderr.write("✗ tsflux is not built: run `npm run build` in the package directory\n");
    process.exit(1);
  }
  throw err;
});
