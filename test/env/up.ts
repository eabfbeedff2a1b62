// Starts a test environment for manual use and keeps it running:
//   npm run env:up            (node scripts/testenv-up.mjs)
// Prints exactly one line `KUBECONFIG=<absolute path>` on stdout when ready
// (progress goes to stderr) and runs until SIGINT/SIGTERM, then cleans up.
import { startTestEnv } from "./testenv.js";

async function main(): Promise<void> {
  const env = await startTestEnv();
  let stopping = false;
  const shutdown = (sig: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[testenv] ${sig}: stopping\n`);
    env.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`[testenv] stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGHUP", () => shutdown("SIGHUP"));
  process.stdout.write(`KUBECONFIG=${env.kubeconfigPath}\n`);
  process.stderr.write(
    `[testenv] API server ${env.server} is up (${env.crds.length} Flux CRDs). Try:\n` +
      `[testenv]   export KUBECONFIG=${env.kubeconfigPath} TSFLUX_TEST_KUBECONFIG=${env.kubeconfigPath}\n` +
      `[testenv] Press Ctrl-C to stop.\n`,
  );
  // Keep the event loop alive until a signal arrives.
  setInterval(() => {}, 1 << 30);
}

main().catch((err: unknown) => {
  process.stderr.write(`[testenv] failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
