// flux logs: formatted logs of the Flux controllers.
import type { Command } from "commander";
import { boolFlag, checkedFlag, durationFlag, logLevelArg, typedFlag } from "../../src/cli/flags.js";
import { goInt } from "../../src/util/flag-values.js";
import { bind } from "../../src/cli/action.js";

export function register(program: Command): void {
  const cmd = program.command("logs [args...]").description("Display formatted logs for Flux components");
  typedFlag(cmd, "--level <debug|info|error>", "log level", logLevelArg);
  cmd.option("--kind <string>", "displays errors of a particular toolkit kind e.g GitRepository");
  cmd.option("--name <string>", "specifies the name of the object logs to be displayed");
  boolFlag(cmd, "-f, --follow", "specifies if the logs should be streamed");
  checkedFlag(cmd, "--tail <int>", "lines of recent log file to display", goInt, "-1");
  cmd.option("--flux-namespace <string>", "the namespace where the Flux components are running", "flux-system");
  boolFlag(cmd, "-A, --all-namespaces", "displays logs for objects across all namespaces");
  durationFlag(
    cmd,
    "--since <duration>",
    "Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used.",
  );
  cmd.option(
    "--since-time <string>",
    "Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used.",
  );
  bind(cmd, {
    options: (inv) => {
      const tail = inv.value("tail");
      return {
        args: inv.args,
        fluxNamespace: inv.opt("fluxNamespace") ?? "flux-system",
        allNamespaces: inv.bool("allNamespaces"),
        level: inv.opt("level"),
        kind: inv.opt("kind"),
        name: inv.opt("name"),
        follow: inv.bool("follow"),
        tail: tail === undefined ? -1 : Number(tail),
        since: inv.opt("since"),
        sinceTime: inv.opt("sinceTime"),
      };
    },
    engine: async () => (await import("../../src/ops/logs.js")).runLogs,
  });
}
