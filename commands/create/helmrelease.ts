// flux create helmrelease
import type { Command } from "commander";
import { bind, type Binding, type Invocation } from "../../src/cli/action.js";
import { boolFlag, checkedFlag, durationFlag, sliceFlag } from "../../src/cli/flags.js";
import { crdsPolicy, helmChartSource } from "../../src/util/flag-values.js";
import type { CreateHelmReleaseOptions } from "../../src/create/options.js";
import { createArgs, createOptions, str } from "./flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateHelmReleaseOptions {
  return {
    ...createOptions(inv),
    releaseName: inv.str("releaseName"),
    source: inv.opt("source"),
    chart: inv.str("chart"),
    chartVersion: inv.str("chartVersion"),
    chartRef: inv.str("chartRef"),
    dependsOn: inv.list("dependsOn"),
    targetNamespace: inv.str("targetNamespace"),
    storageNamespace: inv.str("storageNamespace"),
    createTargetNamespace: inv.bool("createTargetNamespace"),
    serviceAccount: inv.str("serviceAccount"),
    reconcileStrategy: inv.opt("reconcileStrategy"),
    chartInterval: inv.str("chartInterval"),
    values: inv.list("values"),
    valuesFrom: inv.list("valuesFrom"),
    crds: inv.str("crds"),
    kubeconfigSecretRef: inv.str("kubeconfigSecretRef"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateHelmReleaseOptions> = {
  options,
  engine: async () => (await import("../../src/create/resources.js")).runCreateHelmRelease,
};

export function register(create: Command): void {
  const hr = create.command("helmrelease").alias("hr").description("Create or update a HelmRelease resource");
  hr.summary("Create or update a HelmRelease resource");
  str(
    hr,
    "--release-name <string>",
    "name used for the Helm release, defaults to a composition of '[<target-namespace>-]<HelmRelease-name>'",
  );
  checkedFlag(
    hr,
    "--source <string>",
    "source that contains the chart in the format '<kind>/<name>.<namespace>', where kind must be one of: (HelmRepository, GitRepository, Bucket)",
    helmChartSource,
  );
  str(hr, "--chart <string>", "Helm chart name or path");
  str(
    hr,
    "--chart-version <string>",
    "Helm chart version, accepts a semver range (ignored for charts from GitRepository sources)",
  );
  str(
    hr,
    "--chart-ref <string>",
    "the name of the HelmChart resource to use as source for the HelmRelease, in the format '<kind>/<name>.<namespace>', where kind must be one of: (OCIRepository,HelmChart)",
  );
  sliceFlag(
    hr,
    "--depends-on <strings>",
    "HelmReleases that must be ready before this release can be installed, supported formats '<name>' and '<namespace>/<name>'",
  );
  str(hr, "--target-namespace <string>", "namespace to install this release, defaults to the HelmRelease namespace");
  str(hr, "--storage-namespace <string>", "namespace to store the Helm release, defaults to the target namespace");
  boolFlag(hr, "--create-target-namespace", "create the target namespace if it does not exist");
  str(
    hr,
    "--service-account <string>",
    "the name of the service account to impersonate when reconciling this HelmRelease",
  );
  str(
    hr,
    "--reconcile-strategy <string>",
    "the reconcile strategy for helm chart created by the helm release(accepted values: Revision and ChartRevision)",
    "ChartVersion",
  );
  durationFlag(hr, "--chart-interval <duration>", "the interval of which to check for new chart versions");
  sliceFlag(hr, "--values <strings>", "local path to values.yaml files, also accepts comma-separated values");
  sliceFlag(
    hr,
    "--values-from <strings>",
    "a Kubernetes object reference that contains the values.yaml data key in the format '<kind>/<name>', where kind must be one of: (Secret,ConfigMap)",
  );
  checkedFlag(hr, "--crds <Skip|Create|CreateReplace>", "upgrade CRDs policy", crdsPolicy);
  str(
    hr,
    "--kubeconfig-secret-ref <string>",
    "the name of the Kubernetes Secret that contains a key with the kubeconfig file for connecting to a remote cluster",
  );
  bind(createArgs(hr), binding);
}
