// flux create source git
import type { Command } from "commander";
import { bind, type Binding, type Invocation } from "../../../src/cli/action.js";
import { boolFlag, checkedFlag, sliceFlag } from "../../../src/cli/flags.js";
import { sourceGitProvider } from "../../../src/util/flag-values.js";
import type { CreateSourceGitOptions } from "../../../src/create/options.js";
import {
  basicAuthFlags,
  createArgs,
  gitCredentialOptions,
  proxySecretRefFlag,
  sourceOptions,
  sshFlags,
  str,
} from "../flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateSourceGitOptions {
  return {
    ...sourceOptions(inv),
    ...gitCredentialOptions(inv),
    url: inv.str("url"),
    branch: inv.str("branch"),
    tag: inv.str("tag"),
    tagSemver: inv.str("tagSemver"),
    refName: inv.str("refName"),
    commit: inv.str("commit"),
    provider: inv.opt("provider"),
    secretRef: inv.str("secretRef"),
    proxySecretRef: inv.str("proxySecretRef"),
    recurseSubmodules: inv.bool("recurseSubmodules"),
    silent: inv.bool("silent"),
    ignorePaths: inv.list("ignorePaths"),
    sparseCheckoutPaths: inv.list("sparseCheckoutPaths"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateSourceGitOptions> = {
  options,
  engine: async () => (await import("../../../src/create/sources.js")).runCreateSourceGit,
};

export function register(source: Command): void {
  const git = source
    .command("git")
    .description("Create or update a GitRepository source")
    .summary("Create or update a GitRepository source");
  git.summary("Create or update a GitRepository source");
  str(git, "--url <string>", "git address, e.g. ssh://git@host/org/repository");
  str(git, "--branch <string>", "git branch");
  str(git, "--tag <string>", "git tag");
  str(git, "--tag-semver <string>", "git tag semver range");
  str(git, "--ref-name <string>", " git reference name");
  str(git, "--commit <string>", "git commit");
  basicAuthFlags(git);
  checkedFlag(git, "--provider <generic|github|aws|azure>", "the Git provider name", sourceGitProvider);
  sshFlags(git);
  str(
    git,
    "--secret-ref <string>",
    "the name of an existing secret containing SSH or basic credentials or github app authentication",
  );
  proxySecretRefFlag(git);
  str(git, "--ca-file <string>", "path to TLS CA file used for validating self-signed certificates");
  str(
    git,
    "--private-key-file <string>",
    "path to a passwordless private key file used for authenticating to the Git SSH server",
  );
  boolFlag(
    git,
    "--recurse-submodules",
    "when enabled, configures the GitRepository source to initialize and include Git submodules in the artifact it produces",
  );
  boolFlag(git, "-s, --silent", "assumes the deploy key is already setup, skips confirmation");
  sliceFlag(
    git,
    "--ignore-paths <strings>",
    "set paths to ignore in git resource (can specify multiple paths with commas: path1,path2)",
  );
  sliceFlag(
    git,
    "--sparse-checkout-paths <strings>",
    "set paths to sparse checkout in git resource (can specify multiple paths with commas: path1,path2)",
  );
  bind(createArgs(git), binding);
}
