// vitest globalSetup: starts ONE test environment (etcd + kube-apiserver + Flux
// CRDs) for a project's run and stops it in teardown.
//
// Tests get the kubeconfig path with `inject('kubeconfig')` (or the helpers'
// testKubeConfig()); test/env/worker-setup.ts also exports it as
// TSFLUX_TEST_KUBECONFIG in each worker, for child processes spawned by tests.
// This process's environment is never changed: several projects each start their
// own API server and must not see each other's.
//
// If TSFLUX_TEST_KUBECONFIG is already set when vitest starts (e.g. to the
// KUBECONFIG printed by `npm run env:up`), that environment is reused and nothing
// is started, except by projects that ask for a private one
// (test/env/global-setup-private.ts).
import type { TestProject } from "vitest/node";
import { startTestEnv, type TestEnv } from "./testenv.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Absolute path of the test environment's admin kubeconfig. */
    kubeconfig: string;
  }
}

export async function provideTestEnv(project: TestProject, reuseExternal: boolean): Promise<() => Promise<void>> {
  const external = process.env.TSFLUX_TEST_KUBECONFIG;
  if (external && reuseExternal) {
    process.stderr.write(`[testenv] ${project.name}: reusing the environment of TSFLUX_TEST_KUBECONFIG=${external}\n`);
    project.provide("kubeconfig", external);
    return async () => {};
  }
  let env: TestEnv | undefined = await startTestEnv();
  project.provide("kubeconfig", env.kubeconfigPath);
  return async () => {
    const e = env;
    env = undefined;
    await e?.stop();
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  return await provideTestEnv(project, true);
}
