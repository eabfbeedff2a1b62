// The e2e project: tsflux against the real Flux controllers (the test environment's
// controllers mode, started once by ./global-setup.ts). Referenced from the root
// vitest.config.ts; paths here are relative to test/e2e.
import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";
import { textTemplates } from "../support/text-templates.js";

export default defineProject({
  // The same root whether referenced from the root config or run with --config.
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [textTemplates()],
  test: {
    name: "e2e",
    include: ["**/*.test.ts"],
    globalSetup: ["./global-setup.ts"],
    // Controllers reconcile in seconds, but bootstrap and health checks wait for rollouts.
    testTimeout: 240_000,
    // A cold build of the controllers runs inside the globalSetup (~25 min on 2 cores).
    hookTimeout: 3_600_000,
  },
});
