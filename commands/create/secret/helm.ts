// flux create secret helm
import type { Command } from "commander";
import { bind, type Invocation } from "../../../src/cli/action.js";
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

export function register(secret: Command): void {
  const helm = secret
    .command("helm")
    .description("Create or update a Kubernetes secret for Helm repository authentication");
  basicAuthFlags(helm);
  tlsFileFlags(helm, () => "please use the command `flux create secret tls` to generate TLS secrets");
  bind(createArgs(helm), {
    options,
    engine: async () => (await import("../../../src/create/secrets.js")).runCreateSecretHelm,
  });
}
