// flux create secret tls
import type { Command } from "commander";
import { bind, type Binding, type Invocation } from "../../../src/cli/action.js";
import type { CreateSecretTLSOptions } from "../../../src/create/options.js";
import { createArgs, createOptions, tlsFileFlags, tlsFileOptions } from "../flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateSecretTLSOptions {
  return {
    ...createOptions(inv),
    ...tlsFileOptions(inv),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateSecretTLSOptions> = {
  options,
  engine: async () => (await import("../../../src/create/secrets.js")).runCreateSecretTLS,
};

export function register(secret: Command): void {
  const tls = secret.command("tls").description("Create or update a Kubernetes secret with TLS certificates");
  tlsFileFlags(tls, (replacement) => `please use ${replacement} instead`);
  bind(createArgs(tls), binding);
}
