// The process entry (dist/cli/entry.cjs, CommonJS, required by bin/flux.js). Node runs
// a CommonJS file without starting its ES module loader: a few milliseconds that
// `flux --version` and `create … --export` would otherwise spend (issue 17).
// `--version` is answered here; `create …` runs dist/cli/hot.cjs, the hot path of
// `create` without commander (commands/create-hot.ts), and when that hands the line
// back, dist/cli/create.cjs, the create group's commander program, both with V8's code
// cache (src/cli/code-cache.ts); any other command line imports dist/cli/main.js, the
// whole CLI, with Node's module compile cache on where Node has it.
import module from "node:module";
import { join } from "node:path";
import { compileCacheDir, requireWithCodeCache } from "../src/cli/code-cache.js";
import { fdWriter } from "../src/cli/stdio.js";
import { VERSION_LINE } from "../src/version.js";

/** The hashes of dist/cli/create.cjs and hot.cjs, set by scripts/build.mjs: a code cache fits only the bundle it came from. */
declare const __CREATE_BUNDLE_ID__: string;
declare const __HOT_BUNDLE_ID__: string;
/** The name create.cjs calls for import() (scripts/build.mjs). */
declare const __IMPORT_FUNCTION__: string;

function runMain(): Promise<unknown> {
  const dir = compileCacheDir();
  // Node >= 22.1 (absent from Node 20's types); a cache that cannot be written is ignored.
  const enable = (module as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (dir && enable && !process.env.NODE_COMPILE_CACHE) {
    try {
      enable(dir);
    } catch {
      // no cache: slower start-up, same behaviour
    }
  }
  return import("./main.js");
}

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  fdWriter(1).write(`${VERSION_LINE}\n`);
} else if (argv[0] === "create") {
  // Packages resolve from dist/cli, the bundles' directory, as they would for the bundles themselves.
  const importer = (specifier: string) => import(specifier);
  const { runCreateHot } = requireWithCodeCache(
    join(__dirname, "hot.cjs"),
    { id: __HOT_BUNDLE_ID__, importFunction: __IMPORT_FUNCTION__, importer },
    compileCacheDir(),
  ) as typeof import("./create-hot.js");
  const hot = runCreateHot(argv);
  if (hot) {
    void hot.then((code) => {
      process.exitCode = code;
    });
  } else {
    const { runCreate } = requireWithCodeCache(
      join(__dirname, "create.cjs"),
      { id: __CREATE_BUNDLE_ID__, importFunction: __IMPORT_FUNCTION__, importer },
      compileCacheDir(),
    ) as typeof import("./create-cli.js");
    void runCreate(argv).then((code) => {
      if (code === undefined) return runMain();
      process.exitCode = code;
    });
  }
} else {
  void runMain();
}
