// flux create secret oci
import type { Command } from "commander";
import { bind, type Binding, type Invocation } from "../../../src/cli/action.js";
import type { CreateSecretOCIOptions } from "../../../src/create/options.js";
import { basicAuthFlags, basicAuthOptions, createArgs, createOptions, str } from "../flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateSecretOCIOptions {
  return {
    ...createOptions(inv),
    ...basicAuthOptions(inv),
    url: inv.str("url"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateSecretOCIOptions> = {
  options,
  engine: async () => (await import("../../../src/create/secrets.js")).runCreateSecretOCI,
};

export function register(secret: Command): void {
  const oci = secret.command("oci").description("Create or update a Kubernetes image pull secret");
  str(oci, "--url <string>", "oci repository address e.g. ghcr.io/stefanprodan/charts");
  basicAuthFlags(oci);
  bind(createArgs(oci), binding);
}
