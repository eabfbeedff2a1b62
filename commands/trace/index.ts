// flux trace <resource> <name> | <resource>/<name>... | <name> --kind --api-version
import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";

export function register(program: Command): void {
  const cmd = program
    .command("trace [args...]")
    .description("Trace in-cluster objects throughout the GitOps delivery pipeline")
    .option("--kind <string>", "the Kubernetes object kind, e.g. Deployment'")
    .option("--api-version <string>", "the Kubernetes object API version, e.g. 'apps/v1'");
  bind(cmd, {
    options: (inv) => ({ args: inv.args, kind: inv.opt("kind"), apiVersion: inv.opt("apiVersion") }),
    engine: async () => (await import("../../src/ops/trace.js")).runTrace,
  });
}
