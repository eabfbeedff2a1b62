// flux create secret notation
import type { Command } from "commander";
import { bind, type Binding, type Invocation } from "../../../src/cli/action.js";
import { sliceFlag } from "../../../src/cli/flags.js";
import type { CreateSecretNotationOptions } from "../../../src/create/options.js";
import { createArgs, createOptions, str } from "../flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateSecretNotationOptions {
  return {
    ...createOptions(inv),
    caCertFile: inv.list("caCertFile"),
    trustPolicyFile: inv.str("trustPolicyFile"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateSecretNotationOptions> = {
  options,
  engine: async () => (await import("../../../src/create/secrets.js")).runCreateSecretNotation,
};

export function register(secret: Command): void {
  const notation = secret
    .command("notation")
    .description("Create or update a Kubernetes secret for verifications of artifacts signed by Notation");
  sliceFlag(notation, "--ca-cert-file <strings>", "root ca cert file path");
  str(notation, "--trust-policy-file <string>", "notation trust policy file path");
  bind(createArgs(notation), binding);
}
