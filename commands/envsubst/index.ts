import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { boolFlag } from "../../src/cli/flags.js";

export function register(program: Command): void {
  const cmd = program
    .command("envsubst")
    .description("envsubst substitutes the values of environment variables")
    .summary("envsubst substitutes the values of environment variables")
    .addHelpText(
      "after",
      `
The envsubst command substitutes the values of environment variables
in the string piped as standard input and writes the result to the standard output. This command can be used
to replicate the behavior of the Flux Kustomization post-build substitutions.

Examples:
  # Run env var substitutions on the kustomization build output
  export cluster_region=eu-central-1
  kustomize build . | flux envsubst

  # Run env var substitutions and error out if a variable is not set
  kustomize build . | flux envsubst --strict
`,
    );
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
