// flux create secret receiver
import type { Command } from "commander";
import { checkedFlag } from "../../../src/cli/flags.js";
import { receiverType } from "../../../src/util/flag-values.js";
import { bind, type Binding, type Invocation } from "../../../src/cli/action.js";
import type { CreateSecretReceiverOptions } from "../../../src/create/options.js";
import { createArgs, createOptions, str } from "../flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateSecretReceiverOptions {
  return {
    ...createOptions(inv),
    type: inv.opt("type"),
    token: inv.str("token"),
    hostname: inv.str("hostname"),
    emailClaim: inv.str("emailClaim"),
    audienceClaim: inv.str("audienceClaim"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateSecretReceiverOptions> = {
  options,
  engine: async () => (await import("../../../src/create/secrets.js")).runCreateSecretReceiver,
};

export function register(secret: Command): void {
  const receiver = secret
    .command("receiver")
    .description("Create or update a Kubernetes secret for a Receiver webhook");
  checkedFlag(
    receiver,
    "--type <generic|generic-hmac|github|gitlab|bitbucket|harbor|dockerhub|quay|gcr|nexus|acr|cdevents>",
    "the receiver type",
    receiverType,
  );
  str(
    receiver,
    "--token <string>",
    "webhook token used for payload validation and URL computation, auto-generated if not specified",
  );
  str(receiver, "--hostname <string>", "hostname for the webhook URL e.g. flux.example.com");
  str(receiver, "--email-claim <string>", "IAM service account email, required for gcr type");
  str(receiver, "--audience-claim <string>", "custom OIDC token audience for gcr type, defaults to the webhook URL");
  bind(createArgs(receiver), binding);
}
