// flux create secret notation
import type { Command } from "commander";
import { bind, type Invocation } from "../../../src/cli/action.js";
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

export function register(secret: Command): void {
  const notation = secret
    .command("notation")
    .description("Create or update a Kubernetes secret for verifications of artifacts signed by Notation");
  sliceFlag(notation, "--ca-cert-file <strings>", "root ca cert file path");
  str(notation, "--trust-policy-file <string>", "notation trust policy file path");
  bind(createArgs(notation), {
    options,
    engine: async () => (await import("../../../src/create/secrets.js")).runCreateSecretNotation,
  });
}
