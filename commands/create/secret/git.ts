// flux create secret git
import { Option, type Command } from "commander";
import { bind, deprecateOption, type Binding, type Invocation } from "../../../src/cli/action.js";
import type { CreateSecretGitOptions } from "../../../src/create/options.js";
import { basicAuthFlags, createArgs, createOptions, gitCredentialOptions, sshFlags, str } from "../flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateSecretGitOptions {
  return {
    ...createOptions(inv),
    ...gitCredentialOptions(inv),
    url: inv.str("url"),
    caCrtFile: inv.str("caCrtFile"),
    bearerToken: inv.str("bearerToken"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateSecretGitOptions> = {
  options,
  engine: async () => (await import("../../../src/create/secrets.js")).runCreateSecretGit,
};

export function register(secret: Command): void {
  const git = secret.command("git").description("Create or update a Kubernetes secret for Git authentication");
  str(git, "--url <string>", "git address, e.g. ssh://git@host/org/repository");
  basicAuthFlags(git);
  sshFlags(git);
  str(
    git,
    "--ca-crt-file <string>",
    "path to TLS CA certificate file used for validating self-signed certificates; takes precedence over --ca-file",
  );
  // Older flux's spelling (written as caFile), which v2.9.5 no longer has: still read, hidden.
  git.addOption(
    deprecateOption(
      new Option("--ca-file <string>", "path to TLS CA file used for validating self-signed certificates"),
      "use --ca-crt-file instead",
    ),
  );
  str(
    git,
    "--private-key-file <string>",
    "path to a passwordless private key file used for authenticating to the Git SSH server",
  );
  str(git, "--bearer-token <string>", "bearer authentication token");
  bind(createArgs(git), binding);
}
