// The CLI (bundled as dist/cli/main.js, loaded by commands/entry.ts).
import { main } from "./index.js";

process.exitCode = await main();
