// flux create secret proxy
import type { Command } from "commander";
import { bind, type Binding, type Invocation } from "../../../src/cli/action.js";
import type { CreateSecretProxyOptions } from "../../../src/create/options.js";
import { basicAuthFlags, basicAuthOptions, createArgs, createOptions, str } from "../flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateSecretProxyOptions {
  return {
    ...createOptions(inv),
    ...basicAuthOptions(inv),
    address: inv.str("address"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateSecretProxyOptions> = {
  options,
  engine: async () => (await import("../../../src/create/secrets.js")).runCreateSecretProxy,
};

export function register(secret: Command): void {
  const proxy = secret.command("proxy").description("Create or update a Kubernetes secret for proxy authentication");
  str(proxy, "--address <string>", "proxy address");
  basicAuthFlags(proxy);
  bind(createArgs(proxy), binding);
}
