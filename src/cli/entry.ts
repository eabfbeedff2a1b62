import { main } from "./main.js";

const code = await main();
// Let pending stdout writes drain before exiting (large outputs into a pipe).
process.exitCode = code;
