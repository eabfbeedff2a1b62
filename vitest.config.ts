import { defineConfig } from "vitest/config";
import { textTemplates } from "./test/support/text-templates.js";

// Test files that change cluster-scoped state others read (CRDs, ClusterRoles and
// ClusterRoleBindings of an installation, namespaces they did not create) never share
// an API server with the files that read it: they run in the "cluster" project, one
// file at a time, against an API server of their own (install-lifecycle starts yet
// another one without CRDs). Everything else in test/integration shares one API
// server and creates only namespaced objects in namespaces it owns.
const clusterScoped = [
  "test/integration/install-lifecycle.test.ts",
  "test/integration/migrate-cluster.test.ts",
  "test/integration/bootstrap-*.test.ts",
];

// Files run in a shuffled order so no file leans on another having run first (issue 16).
// The seed comes from TSFLUX_TEST_SEED (.ci/run sets and prints one per run) so a
// failing order can be replayed; without it, each run picks its own.
const seed = Number(process.env.TSFLUX_TEST_SEED) || Date.now() % 1_000_000;

export default defineConfig({
  plugins: [textTemplates()],
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ["default", ["json", { outputFile: "test-results.json" }]],
    sequence: { shuffle: { files: true, tests: false }, seed },
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/unit/**/*.test.ts"] },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          exclude: clusterScoped,
          // One real kube-apiserver + etcd with the Flux CRDs, shared by the files.
          globalSetup: ["test/env/global-setup.ts"],
          setupFiles: ["test/env/worker-setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "cluster",
          include: clusterScoped,
          // A second API server, never the shared one (nor TSFLUX_TEST_KUBECONFIG's).
          globalSetup: ["test/env/global-setup-private.ts"],
          setupFiles: ["test/env/worker-setup.ts"],
          fileParallelism: false,
        },
      },
      // The real Flux controllers (the test environment's controllers mode).
      "test/e2e/vitest.config.ts",
    ],
  },
});
