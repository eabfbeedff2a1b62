// flux create image repository
import type { Command } from "commander";
import { bind, type Binding, type Invocation } from "../../../src/cli/action.js";
import { durationFlag } from "../../../src/cli/flags.js";
import type { CreateImageRepositoryOptions } from "../../../src/create/options.js";
import { createArgs, createOptions, str } from "../flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateImageRepositoryOptions {
  return {
    ...createOptions(inv),
    image: inv.str("image"),
    secretRef: inv.str("secretRef"),
    certRef: inv.str("certRef"),
    scanTimeout: inv.str("scanTimeout"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateImageRepositoryOptions> = {
  options,
  engine: async () => (await import("../../../src/create/resources.js")).runCreateImageRepository,
};

export function register(image: Command): void {
  const repo = image.command("repository").description("Create or update an ImageRepository object");
  str(repo, "--image <string>", "the image repository to scan; e.g., library/alpine");
  str(repo, "--secret-ref <string>", "the name of a docker-registry secret to use for credentials");
  str(repo, "--cert-ref <string>", "the name of a secret to use for TLS certificates");
  durationFlag(repo, "--scan-timeout <duration>", "a timeout for scanning; this defaults to the interval if not set");
  bind(createArgs(repo), binding);
}
