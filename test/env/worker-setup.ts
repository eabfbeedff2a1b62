// vitest setupFiles of the projects with an API server: each worker exports the
// project's kubeconfig as TSFLUX_TEST_KUBECONFIG, for child processes spawned by
// tests and for code outside vitest's inject().
import { inject } from "vitest";

process.env.TSFLUX_TEST_KUBECONFIG = inject("kubeconfig");
