// flux trace <resource> <name> | <resource>/<name>... | <name> --kind --api-version
import type { Command } from "commander";
import { lazyActionWithParents } from "../src/ops/bind.js";

export function register(program: Command): void {
  const cmd = program
    .command("trace [args...]")
    .description("Trace in-cluster objects throughout the GitOps delivery pipeline")
    .option("--kind <string>", "the Kubernetes object kind, e.g. Deployment'")
    .option("--api-version <string>", "the Kubernetes object API version, e.g. 'apps/v1'");
  lazyActionWithParents(cmd, async () => (await import("../src/ops/trace.js")).runTraceCommand);
}
