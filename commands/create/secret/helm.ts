// flux create secret helm
import type { Command } from "commander";
import { bind, type Binding, type Invocation } from "../../../src/cli/action.js";
import type { CreateSecretHelmOptions } from "../../../src/create/options.js";
import { basicAuthFlags, basicAuthOptions, createArgs, createOptions, tlsFileFlags, tlsFileOptions } from "../flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateSecretHelmOptions {
  return {
    ...createOptions(inv),
    ...basicAuthOptions(inv),
    ...tlsFileOptions(inv),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateSecretHelmOptions> = {
  options,
  engine: async () => (await import("../../../src/create/secrets.js")).runCreateSecretHelm,
};

export function register(secret: Command): void {
  const helm = secret
    .command("helm")
    .description("Create or update a Kubernetes secret for Helm repository authentication");
  basicAuthFlags(helm);
  tlsFileFlags(helm, () => "please use the command `flux create secret tls` to generate TLS secrets");
  bind(createArgs(helm), binding);
}
