// flux create image update
import type { Command } from "commander";
import { bind, type Binding, type Invocation } from "../../../src/cli/action.js";
import type { CreateImageUpdateOptions } from "../../../src/create/options.js";
import { createArgs, createOptions, str } from "../flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateImageUpdateOptions {
  return {
    ...createOptions(inv),
    gitRepoRef: inv.str("gitRepoRef"),
    gitRepoNamespace: inv.str("gitRepoNamespace"),
    gitRepoPath: inv.str("gitRepoPath"),
    checkoutBranch: inv.str("checkoutBranch"),
    pushBranch: inv.str("pushBranch"),
    commitTemplate: inv.str("commitTemplate"),
    authorName: inv.str("authorName"),
    authorEmail: inv.str("authorEmail"),
    signingKeySecret: inv.str("signingKeySecret"),
    signingKeyType: inv.str("signingKeyType"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateImageUpdateOptions> = {
  options,
  engine: async () => (await import("../../../src/create/resources.js")).runCreateImageUpdate,
};

export function register(image: Command): void {
  const update = image.command("update").description("Create or update an ImageUpdateAutomation object");
  str(
    update,
    "--git-repo-ref <string>",
    "the name of a GitRepository resource with details of the upstream Git repository",
  );
  str(
    update,
    "--git-repo-namespace <string>",
    "the namespace of the GitRepository resource, defaults to the ImageUpdateAutomation namespace",
  );
  str(
    update,
    "--git-repo-path <string>",
    "path to the directory containing the manifests to be updated, defaults to the repository root",
  );
  str(update, "--checkout-branch <string>", "the branch to checkout");
  str(
    update,
    "--push-branch <string>",
    "the branch to push commits to, defaults to the checkout branch if not specified",
  );
  str(update, "--commit-template <string>", "a template for commit messages");
  str(update, "--author-name <string>", "the name to use for commit author");
  str(update, "--author-email <string>", "the email to use for commit author");
  str(update, "--signing-key-secret <string>", "the name of a secret containing the key used to sign commits");
  str(update, "--signing-key-type <string>", "the type of the signing key, one of: gpg, ssh (default gpg)");
  bind(createArgs(update), binding);
}
