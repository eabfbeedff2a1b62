import { Option, type Command } from "commander";
import { lazyAction } from "../src/cli/action.js";
import { boolFlag, enumFlag, sliceFlag } from "../src/cli/flags.js";

export function register(program: Command): void {
  const cmd = program
    .command("install")
    .summary("Install or upgrade Flux")
    .description(
      `The install command deploys Flux in the specified namespace.
If a previous version is installed, then an in-place upgrade will be performed.`,
    )
    .addHelpText(
      "after",
      `
Examples:
  # Install the latest version in the flux-system namespace
  flux install --namespace=flux-system

  # Install a specific series of components
  flux install --components="source-controller,kustomize-controller"

  # Install all components including the image automation ones
  flux install --components-extra="image-reflector-controller,image-automation-controller"

  # Install all components including source-watcher
  flux install --components-extra="source-watcher"

  # Install Flux onto tainted Kubernetes nodes
  flux install --toleration-keys=node.kubernetes.io/dedicated-to-flux

  # Dry-run install
  flux install --export | kubectl apply --dry-run=client -f-

  # Write install manifests to file
  flux install --export > flux-system.yaml`,
    );
  boolFlag(cmd, "--export", "write the install manifests to stdout and exit");
  cmd.option(
    "-v, --version <string>",
    "toolkit version, when specified the manifests are downloaded from https://github.com/fluxcd/flux2/releases",
  );
  sliceFlag(
    cmd,
    "--components <strings>",
    "list of components, accepts comma-separated values (default [source-controller,kustomize-controller,helm-controller,notification-controller])",
  );
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
  enumFlag(cmd, "--log-level <string>", "log level", ["debug", "info", "error"], "info");
  boolFlag(
    cmd,
    "--network-policy",
    "deny ingress access to the toolkit controllers from other namespaces using network policies",
    true,
  );
  cmd.addOption(new Option("--cluster-domain <string>", "internal cluster domain").default("cluster.local"));
  sliceFlag(
    cmd,
    "--toleration-keys <strings>",
    "list of toleration keys used to schedule the components pods onto nodes with matching taints",
  );
  boolFlag(cmd, "--force", "override existing Flux installation if it's managed by a different tool such as Helm");
  lazyAction(cmd, async () => (await import("../src/install/run.js")).runInstall);
}
