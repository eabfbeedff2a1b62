// flux create alert-provider
import type { Command } from "commander";
import { bind, type Binding, type Invocation } from "../../src/cli/action.js";
import type { CreateAlertProviderOptions } from "../../src/create/options.js";
import { createArgs, createOptions, str } from "./flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateAlertProviderOptions {
  return {
    ...createOptions(inv),
    type: inv.str("type"),
    channel: inv.str("channel"),
    username: inv.str("username"),
    address: inv.str("address"),
    secretRef: inv.str("secretRef"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateAlertProviderOptions> = {
  options,
  engine: async () => (await import("../../src/create/resources.js")).runCreateAlertProvider,
};

export function register(create: Command): void {
  const provider = create.command("alert-provider").description("Create or update a Provider resource");
  str(provider, "--type <string>", "type of provider");
  str(provider, "--channel <string>", "channel to send messages to in the case of a chat provider");
  str(provider, "--username <string>", "bot username used by the provider");
  str(provider, "--address <string>", "path to either the git repository, chat provider or webhook");
  str(provider, "--secret-ref <string>", "name of secret containing authentication token");
  bind(createArgs(provider), binding);
}
