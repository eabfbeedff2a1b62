// The process entry (dist/cli/entry.js, started by bin/flux.js). `flux --version` is
// answered here without loading the CLI; any other command line loads it
// (dist/cli/main.js, one file: see scripts/build.mjs).
import { fdWriter } from "../src/cli/stdio.js";
import { VERSION_LINE } from "../src/version.js";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  fdWriter(1).write(`${VERSION_LINE}\n`);
} else {
  await import("./main.js");
}
