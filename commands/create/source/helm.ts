// flux create source helm
import type { Command } from "commander";
import { bind, type Binding, type Invocation } from "../../../src/cli/action.js";
import { boolFlag } from "../../../src/cli/flags.js";
import type { CreateSourceHelmOptions } from "../../../src/create/options.js";
import { basicAuthFlags, basicAuthOptions, createArgs, sourceOptions, str } from "../flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateSourceHelmOptions {
  return {
    ...sourceOptions(inv),
    ...basicAuthOptions(inv),
    url: inv.str("url"),
    certFile: inv.str("certFile"),
    keyFile: inv.str("keyFile"),
    caFile: inv.str("caFile"),
    secretRef: inv.str("secretRef"),
    ociProvider: inv.str("ociProvider"),
    passCredentials: inv.bool("passCredentials"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateSourceHelmOptions> = {
  options,
  engine: async () => (await import("../../../src/create/sources.js")).runCreateSourceHelm,
};

export function register(source: Command): void {
  const helm = source.command("helm").description("Create or update a HelmRepository source");
  helm.summary("Create or update a HelmRepository source");
  str(helm, "--url <string>", "Helm repository address");
  basicAuthFlags(helm);
  str(helm, "--cert-file <string>", "TLS authentication cert file path");
  str(helm, "--key-file <string>", "TLS authentication key file path");
  str(helm, "--ca-file <string>", "TLS authentication CA file path");
  str(
    helm,
    "--secret-ref <string>",
    "the name of an existing secret containing TLS, basic auth or docker-config credentials",
  );
  str(helm, "--oci-provider <string>", "OCI provider for authentication");
  boolFlag(helm, "--pass-credentials", "pass credentials to all domains");
  bind(createArgs(helm), binding);
}
