// The flags that select and customise the Flux distribution, shared by `flux install`
// and every `flux bootstrap` command (upstream declares them on both).
import { Option, type Command } from "commander";
import type { Invocation } from "../../src/cli/action.js";
import { boolFlag, logLevelArg, sliceFlag, typedFlag } from "../../src/cli/flags.js";
import type { DistributionOptions } from "../../src/install/run.js";
import { DEFAULT_COMPONENTS } from "../../src/install/options.js";

/** The distribution flags as given; the engine applies the defaults of those not given. */
export function distributionOptions(inv: Invocation): DistributionOptions {
  return {
    version: inv.str("version"),
    components: inv.listOpt("components"),
    componentsExtra: inv.list("componentsExtra"),
    manifests: inv.str("manifests"),
    registry: inv.opt("registry"),
    registryCreds: inv.str("registryCreds"),
    imagePullSecret: inv.str("imagePullSecret"),
    watchAllNamespaces: inv.value("watchAllNamespaces") !== false,
    networkPolicy: inv.value("networkPolicy") !== false,
    logLevel: inv.opt("logLevel"),
    clusterDomain: inv.opt("clusterDomain"),
    tolerationKeys: inv.list("tolerationKeys"),
  };
}

export function distributionFlags(cmd: Command, networkPolicyHelp: string): Command {
  cmd.option(
    "-v, --version <string>",
    "toolkit version, when specified the manifests are downloaded from https://github.com/fluxcd/flux2/releases",
  );
  sliceFlag(cmd, "--components <strings>", "list of components, accepts comma-separated values", DEFAULT_COMPONENTS);
  sliceFlag(
    cmd,
    "--components-extra <strings>",
    "list of components in addition to those supplied or defaulted, accepts values such as 'image-reflector-controller,image-automation-controller,source-watcher'",
  );
  cmd.addOption(new Option("--manifests <string>", "path to the manifest directory").hideHelp());
  cmd.addOption(
    new Option("--registry <string>", "container registry where the toolkit images are published").default(
      "ghcr.io/fluxcd",
    ),
  );
  cmd.option(
    "--registry-creds <string>",
    "container registry credentials in the format 'user:password', requires --image-pull-secret to be set",
  );
  cmd.option(
    "--image-pull-secret <string>",
    "Kubernetes secret name used for pulling the toolkit images from a private registry",
  );
  boolFlag(
    cmd,
    "--watch-all-namespaces",
    "watch for custom resources in all namespaces, if set to false it will only watch the namespace where the toolkit is installed",
    true,
  );
  typedFlag(cmd, "--log-level <debug|info|error>", "log level", logLevelArg, "info");
  boolFlag(cmd, "--network-policy", networkPolicyHelp, true);
  cmd.addOption(new Option("--cluster-domain <string>", "internal cluster domain").default("cluster.local"));
  sliceFlag(
    cmd,
    "--toleration-keys <strings>",
    "list of toleration keys used to schedule the components pods onto nodes with matching taints",
  );
  return cmd;
}
