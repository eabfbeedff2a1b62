import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { boolFlag } from "../../src/cli/flags.js";

export function register(program: Command): void {
  const cmd = program
    .command("envsubst")
    .description("envsubst substitutes the values of environment variables")
    .summary("envsubst substitutes the values of environment variables");
  boolFlag(
    cmd,
    "--strict",
    "fail if a variable without a default value is declared in the input but is missing from the environment",
  );
  bind(cmd, {
    options: (inv) => ({ strict: inv.bool("strict") }),
    engine: async () => (await import("../../src/kustomize/envsubst-cmd.js")).runEnvsubst,
  });
}
