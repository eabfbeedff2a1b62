// flux create kustomization
import { Option, type Command } from "commander";
import { bind, deprecateOption, type Binding, type Invocation } from "../../src/cli/action.js";
import { boolFlag, checkedFlag, durationFlag, sliceFlag } from "../../src/cli/flags.js";
import { decryptionProvider, kustomizationSource } from "../../src/util/flag-values.js";
import type { CreateKustomizationOptions } from "../../src/create/options.js";
import { createArgs, createOptions, str } from "./flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateKustomizationOptions {
  return {
    ...createOptions(inv),
    source: inv.opt("source"),
    path: inv.opt("path"),
    prune: inv.bool("prune"),
    wait: inv.bool("wait"),
    healthCheck: inv.list("healthCheck"),
    healthCheckTimeout: inv.str("healthCheckTimeout"),
    validation: inv.opt("validation"),
    dependsOn: inv.list("dependsOn"),
    serviceAccount: inv.str("serviceAccount"),
    decryptionProvider: inv.str("decryptionProvider"),
    decryptionSecret: inv.str("decryptionSecret"),
    targetNamespace: inv.str("targetNamespace"),
    kubeconfigSecretRef: inv.str("kubeconfigSecretRef"),
    retryInterval: inv.str("retryInterval"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateKustomizationOptions> = {
  options,
  engine: async () => (await import("../../src/create/resources.js")).runCreateKustomization,
};

export function register(create: Command): void {
  const ks = create.command("kustomization").alias("ks").description("Create or update a Kustomization resource");
  ks.summary("Create or update a Kustomization resource");
  checkedFlag(
    ks,
    "--source <string>",
    "source that contains the Kubernetes manifests in the format '[<kind>/]<name>.<namespace>', where kind must be one of: (OCIRepository, GitRepository, Bucket), if kind is not specified it defaults to GitRepository",
    kustomizationSource,
  );
  str(ks, "--path <safeRelativePath>", "path to the directory containing a kustomization.yaml file", "./");
  boolFlag(ks, "--prune", "enable garbage collection");
  boolFlag(ks, "--wait", "enable health checking of all the applied resources");
  sliceFlag(
    ks,
    "--health-check <strings>",
    "workload to be included in the health assessment, in the format '<kind>/<name>.<namespace>'",
  );
  durationFlag(ks, "--health-check-timeout <duration>", "timeout of health checking operations", "2m0s");
  ks.addOption(
    deprecateOption(
      new Option(
        "--validation <string>",
        "validate the manifests before applying them on the cluster, can be 'client' or 'server'",
      ),
      "this arg is no longer used, all resources are validated using server-side apply dry-run",
    ),
  );
  sliceFlag(
    ks,
    "--depends-on <strings>",
    "Kustomization that must be ready before this Kustomization can be applied, supported formats '<name>' and '<namespace>/<name>', also accepts comma-separated values",
  );
  str(
    ks,
    "--service-account <string>",
    "the name of the service account to impersonate when reconciling this Kustomization",
  );
  checkedFlag(
    ks,
    "--decryption-provider <decryptionProvider>",
    "decryption provider, available options are: (sops)",
    decryptionProvider,
  );
  str(
    ks,
    "--decryption-secret <string>",
    "set the Kubernetes secret name that contains the OpenPGP private keys used for sops decryption",
  );
  str(
    ks,
    "--target-namespace <string>",
    "overrides the namespace of all Kustomization objects reconciled by this Kustomization",
  );
  str(
    ks,
    "--kubeconfig-secret-ref <string>",
    "the name of the Kubernetes Secret that contains a key with the kubeconfig file for connecting to a remote cluster",
  );
  durationFlag(ks, "--retry-interval <duration>", "the interval at which to retry a previously failed reconciliation");
  bind(createArgs(ks), binding);
}
