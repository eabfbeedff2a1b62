// The process entry (bundled as dist/cli/entry.js, started by bin/flux.js).
import { main } from "./index.js";

// A reader that went away (`flux install --export | head`) is not an error: stop
// quietly like a Go program killed by SIGPIPE would, instead of an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const code = await main();
// Let pending stdout writes drain before exiting (large outputs into a pipe).
process.exitCode = code;
