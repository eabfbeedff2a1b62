// vitest globalSetup of the e2e project: ONE test environment in the controllers
// mode (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok and the
// real Flux controllers as host processes) for the e2e files, stopped in teardown.
//
// A build or start failure fails the run with the exact error: the e2e suite is
// never skipped. TSFLUX_E2E_KUBECONFIG reuses an environment started with
// `npm run env:up -- --controllers` (its controllers must be running).
import type { TestProject } from "vitest/node";
import { startTestEnv, type TestEnv } from "../env/testenv.js";
import { must } from "../support/must.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** notification-controller's webhook receiver server, http://127.0.0.1:PORT */
    receiverURL: string;
    /** The notification-controller version running. */
    notificationControllerVersion: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TSFLUX_E2E_KUBECONFIG;
  if (external) {
    process.stderr.write(`[e2e] reusing the controllers-mode environment of TSFLUX_E2E_KUBECONFIG=${external}\n`);
    project.provide("kubeconfig", external);
    project.provide("receiverURL", process.env.TSFLUX_E2E_RECEIVER_URL ?? "");
    project.provide("notificationControllerVersion", process.env.TSFLUX_E2E_NOTIFICATION_VERSION ?? "");
    return async () => {};
  }
  const started = Date.now();
  let env: TestEnv | undefined = await startTestEnv({ controllers: true });
  const c = must(env.controllers, "the controllers of a controllers-mode test environment");
  process.stderr.write(
    `[e2e] controllers mode ready in ${Date.now() - started}ms; notification-controller v${c.notificationControllerVersion}; logs in ${c.logDir}\n`,
  );
  project.provide("kubeconfig", env.kubeconfigPath);
  project.provide("receiverURL", c.receiverURL);
  project.provide("notificationControllerVersion", c.notificationControllerVersion);
  return async () => {
    const e = env;
    env = undefined;
    await e?.stop();
  };
}
