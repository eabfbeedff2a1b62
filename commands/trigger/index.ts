// flux trigger receiver <name> --url … [--token …] [--type generic|generic-hmac|generic-oidc]
import type { Command } from "commander";
import { bind } from "../../src/cli/action.js";
import { durationFlag, intFlag } from "../../src/cli/flags.js";

export function register(program: Command): void {
  const group = program.command("trigger").description("Trigger Flux resources from outside the cluster");
  const receiver = group
    .command("receiver [name]")
    .description("Trigger the webhook of a Receiver")
    // cobra.ExactArgs(1): the engine reports a wrong count with cobra's wording
    .allowExcessArguments(true);
  // --token here is the Receiver's token; it shadows the global --token (as cobra does)
  receiver.option(
    "--token <string>",
    "the Receiver token, required for all types except generic-oidc where it must not be set",
  );
  receiver.option(
    "--url <string>",
    "the base URL of the notification-controller webhook receiver, may contain a base path",
    "",
  );
  receiver.option("--type <string>", "the Receiver type, one of: generic, generic-hmac, generic-oidc", "generic");
  receiver.option(
    "--oidc-provider <string>",
    "the OIDC provider to fetch the token from, one of: github, forgejo (generic-oidc only, mutually exclusive with --oidc-token)",
    "",
  );
  receiver.option(
    "--oidc-token <string>",
    "the OIDC token to authenticate the request (generic-oidc only, mutually exclusive with --oidc-provider); defaults to the FLUX_TRIGGER_RECEIVER_OIDC_TOKEN environment variable",
    "",
  );
  receiver.option(
    "--oidc-audience <string>",
    'the audience of the OIDC token to fetch (requires --oidc-provider); defaults to "notification-controller"',
    "",
  );
  receiver.option("--payload <string>", "the JSON payload to send in the request body", "{}");
  intFlag(
    receiver,
    "--retries <int>",
    "the number of times to retry on connection errors or retryable HTTP status codes (404, 408, 429, 5xx); set to 0 to disable",
    10,
  );
  durationFlag(receiver, "--retry-delay <duration>", "the delay between retries", "10s");
  bind(receiver, {
    options: (inv) => ({
      args: inv.args,
      token: inv.str("token"),
      url: inv.str("url"),
      type: inv.str("type"),
      oidcProvider: inv.str("oidcProvider"),
      oidcToken: inv.str("oidcToken"),
      oidcAudience: inv.str("oidcAudience"),
      payload: inv.str("payload"),
      retries: inv.value("retries") as number,
      retryDelay: inv.str("retryDelay"),
    }),
    engine: async () => (await import("../../src/notification/trigger.js")).runTriggerReceiver,
  });
}
