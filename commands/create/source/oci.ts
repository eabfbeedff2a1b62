// flux create source oci
import type { Command } from "commander";
import { bind, type Binding, type Invocation } from "../../../src/cli/action.js";
import { boolFlag, checkedFlag, sliceFlag } from "../../../src/cli/flags.js";
import { sourceOCIProvider } from "../../../src/util/flag-values.js";
import type { CreateSourceOCIOptions } from "../../../src/create/options.js";
import { createArgs, proxySecretRefFlag, sourceOptions, str, verifyFlags, verifyOptions } from "../flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateSourceOCIOptions {
  return {
    ...sourceOptions(inv),
    ...verifyOptions(inv),
    url: inv.str("url"),
    tag: inv.str("tag"),
    tagSemver: inv.str("tagSemver"),
    digest: inv.str("digest"),
    provider: inv.opt("provider"),
    secretRef: inv.str("secretRef"),
    serviceAccount: inv.str("serviceAccount"),
    certRef: inv.str("certRef"),
    proxySecretRef: inv.str("proxySecretRef"),
    ignorePaths: inv.list("ignorePaths"),
    insecure: inv.bool("insecure"),
    layerSelector: inv.str("layerSelector"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateSourceOCIOptions> = {
  options,
  engine: async () => (await import("../../../src/create/sources.js")).runCreateSourceOCI,
};

export function register(source: Command): void {
  const oci = source.command("oci").description("Create or update an OCIRepository");
  oci.summary("Create or update an OCIRepository");
  str(oci, "--url <string>", "the OCI repository URL");
  str(oci, "--tag <string>", "the OCI artifact tag");
  str(oci, "--tag-semver <string>", "the OCI artifact tag semver range");
  str(oci, "--digest <string>", "the OCI artifact digest");
  checkedFlag(oci, "--provider <generic|aws|azure|gcp>", "the OCI provider name", sourceOCIProvider, "generic");
  str(
    oci,
    "--secret-ref <string>",
    "the name of the Kubernetes image pull secret (type 'kubernetes.io/dockerconfigjson')",
  );
  str(
    oci,
    "--service-account <string>",
    "the name of the Kubernetes service account that refers to an image pull secret",
  );
  str(oci, "--cert-ref <string>", "the name of a secret to use for TLS certificates");
  proxySecretRefFlag(oci);
  verifyFlags(oci);
  sliceFlag(
    oci,
    "--ignore-paths <strings>",
    "set paths to ignore resources (can specify multiple paths with commas: path1,path2)",
  );
  boolFlag(oci, "--insecure", "for when connecting to a non-TLS registries over plain HTTP");
  str(oci, "--layer-selector <string>", "the OCI artifact layer selector in the format '<media-type>:<operation>'");
  bind(createArgs(oci), binding);
}
