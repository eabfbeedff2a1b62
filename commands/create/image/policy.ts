// flux create image policy
import type { Command } from "commander";
import { durationFlag } from "../../../src/cli/flags.js";
import { bind, type Binding, type Invocation } from "../../../src/cli/action.js";
import type { CreateImagePolicyOptions } from "../../../src/create/options.js";
import { createArgs, createOptions, str } from "../flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateImagePolicyOptions {
  return {
    ...createOptions(inv),
    imageRef: inv.str("imageRef"),
    selectSemver: inv.str("selectSemver"),
    selectAlpha: inv.str("selectAlpha"),
    selectNumeric: inv.str("selectNumeric"),
    filterRegex: inv.str("filterRegex"),
    filterExtract: inv.str("filterExtract"),
    reflectDigest: inv.str("reflectDigest"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateImagePolicyOptions> = {
  options,
  engine: async () => (await import("../../../src/create/resources.js")).runCreateImagePolicy,
};

export function register(image: Command): void {
  const policy = image.command("policy").description("Create or update an ImagePolicy object");
  str(policy, "--image-ref <string>", "the name of an image repository object");
  str(policy, "--select-semver <string>", "a semver range to apply to tags; e.g., '1.x'");
  str(
    policy,
    "--select-alpha <string>",
    `use alphabetical sorting to select image; either "asc" meaning select the last, or "desc" meaning select the first`,
  );
  str(
    policy,
    "--select-numeric <string>",
    `use numeric sorting to select image; either "asc" meaning select the last, or "desc" meaning select the first`,
  );
  str(policy, "--filter-regex <string>", "regular expression pattern used to filter the image tags");
  str(
    policy,
    "--filter-extract <string>",
    "replacement pattern (using capture groups from --filter-regex) to use for sorting",
  );
  str(
    policy,
    "--reflect-digest <string>",
    "the digest reflection policy to use when observing latest image tags (one of 'Never', 'IfNotPresent', 'Never')",
  );
  // its own --interval, unset by default, in place of create's (1m0s)
  durationFlag(
    policy,
    "--interval <duration>",
    "the interval at which to check for new image digests when the policy is set to 'Always'",
  );
  bind(createArgs(policy), binding);
}
