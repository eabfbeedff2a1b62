// flux create secret githubapp
import type { Command } from "commander";
import { bind, type Binding, type Invocation } from "../../../src/cli/action.js";
import type { CreateSecretGitHubAppOptions } from "../../../src/create/options.js";
import { createArgs, createOptions, str } from "../flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateSecretGitHubAppOptions {
  return {
    ...createOptions(inv),
    appId: inv.str("appId"),
    appInstallationId: inv.str("appInstallationId"),
    appInstallationOwner: inv.str("appInstallationOwner"),
    appPrivateKey: inv.str("appPrivateKey"),
    appBaseUrl: inv.str("appBaseUrl"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateSecretGitHubAppOptions> = {
  options,
  engine: async () => (await import("../../../src/create/secrets.js")).runCreateSecretGitHubApp,
};

export function register(secret: Command): void {
  const app = secret.command("githubapp").alias("github-app").description("Create or update a github app secret");
  str(app, "--app-id <string>", "github app ID");
  str(app, "--app-installation-id <string>", "github app installation ID");
  str(app, "--app-installation-owner <string>", "github app installation owner (user or organization)");
  str(app, "--app-private-key <string>", "github app private key file path");
  str(app, "--app-base-url <string>", "github app base URL");
  bind(createArgs(app), binding);
}
