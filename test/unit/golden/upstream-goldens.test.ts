// Upstream flux v2.9.5's own command-line cases that need no cluster (create --export,
// validation errors, envsubst, install flags, diff artifact against a local registry),
// compared byte for byte with upstream's testdata in test/golden/upstream.
import { startRegistry } from "../../env/registry.js";
import { defineUpstreamSuite } from "../../support/upstream-suite.js";

defineUpstreamSuite(false, {
  registry: async () => {
    const r = await startRegistry();
    // upstream's test registry is addressed as localhost:<port>
    return { host: `localhost:${r.port}`, stop: () => r.stop() };
  },
});
