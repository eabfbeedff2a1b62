import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One real kube-apiserver + etcd with the Flux CRDs for the whole run.
    globalSetup: ["test/env/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ["default", ["json", { outputFile: "test-results.json" }]],
  },
});
