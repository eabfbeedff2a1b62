import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { distributionFlags, distributionOptions } from "../shared/distribution-flags.js";
import { boolFlag } from "../../src/cli/flags.js";

export function register(program: Command): void {
  const cmd = program
    .command("install")
    .summary("Install or upgrade Flux")
    .description(
      `The install command deploys Flux in the specified namespace.
If a previous version is installed, then an in-place upgrade will be performed.`,
    );
  boolFlag(cmd, "--export", "write the install manifests to stdout and exit");
  distributionFlags(cmd, "deny ingress access to the toolkit controllers from other namespaces using network policies");
  boolFlag(cmd, "--force", "override existing Flux installation if it's managed by a different tool such as Helm");
  bind(cmd, {
    options: (inv) => ({ ...distributionOptions(inv), export: inv.bool("export"), force: inv.bool("force") }),
    engine: async () => (await import("../../src/install/run.js")).runInstall,
  });
}
