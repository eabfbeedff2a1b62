// vitest globalSetup: starts ONE test environment (etcd + kube-apiserver + Flux
// CRDs) for the whole test run and stops it in teardown.
//
// Tests get the kubeconfig path with `inject('kubeconfig')` (or the helpers'
// testKubeConfig()); it is also exported as TSFLUX_TEST_KUBECONFIG for child
// processes spawned by tests (workers forked after setup inherit it).
//
// If TSFLUX_TEST_KUBECONFIG is already set (e.g. to the KUBECONFIG printed by
// `npm run env:up`), that environment is reused and nothing is started.
import type { TestProject } from "vitest/node";
import { startTestEnv, type TestEnv } from "./testenv.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Absolute path of the test environment's admin kubeconfig. */
    kubeconfig: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TSFLUX_TEST_KUBECONFIG;
  if (external) {
    process.stderr.write(`[testenv] reusing the environment of TSFLUX_TEST_KUBECONFIG=${external}\n`);
    project.provide("kubeconfig", external);
    return async () => {};
  }
  let env: TestEnv | undefined = await startTestEnv();
  project.provide("kubeconfig", env.kubeconfigPath);
  process.env.TSFLUX_TEST_KUBECONFIG = env.kubeconfigPath;
  return async () => {
    const e = env;
    env = undefined;
    delete process.env.TSFLUX_TEST_KUBECONFIG;
    await e?.stop();
  };
}
