// Upstream flux v2.9.5's own command-line cases against the test API server, with the
// objects upstream's tests create, compared byte for byte with upstream's testdata.
import { testKubeConfig, testKubeconfigPath } from "../env/helpers.js";
import { defineUpstreamSuite } from "../support/upstream-suite.js";

defineUpstreamSuite(true, { kubeConfig: testKubeConfig, kubeconfigPath: testKubeconfigPath });
