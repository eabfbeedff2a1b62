// flux create alert
import type { Command } from "commander";
import { bind, type Binding, type Invocation } from "../../src/cli/action.js";
import { sliceFlag } from "../../src/cli/flags.js";
import type { CreateAlertOptions } from "../../src/create/options.js";
import { createArgs, createOptions, str } from "./flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateAlertOptions {
  return {
    ...createOptions(inv),
    providerRef: inv.str("providerRef"),
    eventSeverity: inv.str("eventSeverity"),
    eventSource: inv.list("eventSource"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateAlertOptions> = {
  options,
  engine: async () => (await import("../../src/create/resources.js")).runCreateAlert,
};

export function register(create: Command): void {
  const alert = create.command("alert").description("Create or update a Alert resource");
  str(alert, "--provider-ref <string>", "reference to provider");
  str(alert, "--event-severity <string>", "severity of events to send alerts for");
  sliceFlag(
    alert,
    "--event-source <strings>",
    "sources that should generate alerts (<kind>/<name>), also accepts comma-separated values",
  );
  bind(createArgs(alert), binding);
}
