import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { boolFlag, durationFlag, sliceFlag } from "../../src/cli/flags.js";
import { DEFAULT_COMPONENTS } from "../../src/install/options.js";

export function register(program: Command): void {
  const cmd = program
    .command("check")
    .description("Check requirements and installation")
    .summary("Check requirements and installation");
  boolFlag(cmd, "--pre", "only run pre-installation checks");
  sliceFlag(cmd, "--components <strings>", "list of components, accepts comma-separated values", DEFAULT_COMPONENTS);
  sliceFlag(
    cmd,
    "--components-extra <strings>",
    "list of components in addition to those supplied or defaulted, accepts comma-separated values",
  );
  durationFlag(
    cmd,
    "--poll-interval <duration>",
    "how often the health checker should poll the cluster for the latest state of the resources.",
    "5s",
  );
  bind(cmd, {
    options: (inv) => ({ pre: inv.bool("pre"), pollInterval: inv.opt("pollInterval") ?? "5s" }),
    engine: async () => (await import("../../src/check/run.js")).runCheck,
  });
}
