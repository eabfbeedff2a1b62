// Starts a test environment for manual use and keeps it running:
//   npm run env:up                     (node scripts/testenv-up.mjs)
//   npm run env:up -- --controllers    (also kube-controller-manager, kube-scheduler,
//                                       kwok and the real Flux controllers)
// Prints exactly one line `KUBECONFIG=<absolute path>` on stdout when ready (in the
// controllers mode: once a canary GitRepository and Kustomization are reconciled;
// progress goes to stderr) and runs until SIGINT/SIGTERM, then cleans up.
import { startTestEnv } from "./testenv.js";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== "--controllers");
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]} (the only flag is --controllers)`);
  const env = await startTestEnv({ controllers: args.includes("--controllers") });
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
  const c = env.controllers;
  process.stderr.write(
    `[testenv] API server ${env.server} is up (${env.crds.length} Flux CRDs).\n` +
      (c
        ? `[testenv] Controllers: source, kustomize, helm, notification (v${c.notificationControllerVersion}), ` +
          `kube-controller-manager, kube-scheduler, kwok Node ${c.node}; artifacts ${c.storageURL}.\n` +
          `[testenv] Logs: ${c.logDir}/<name>.log\n` +
          `[testenv] e2e suite against it: TSFLUX_E2E_KUBECONFIG=${env.kubeconfigPath} ` +
          `TSFLUX_E2E_RECEIVER_URL=${c.receiverURL} TSFLUX_E2E_NOTIFICATION_VERSION=${c.notificationControllerVersion} ` +
          `npx vitest run --project e2e\n`
        : "") +
      `[testenv] Try:\n` +
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
