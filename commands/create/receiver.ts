// flux create receiver
import type { Command } from "commander";
import { bind, type Binding, type Invocation } from "../../src/cli/action.js";
import { checkedFlag, sliceFlag } from "../../src/cli/flags.js";
import { receiverType } from "../../src/util/flag-values.js";
import type { CreateReceiverOptions } from "../../src/create/options.js";
import { createArgs, createOptions, str } from "./flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateReceiverOptions {
  return {
    ...createOptions(inv),
    type: inv.opt("type"),
    secretRef: inv.str("secretRef"),
    event: inv.list("event"),
    resource: inv.list("resource"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateReceiverOptions> = {
  options,
  engine: async () => (await import("../../src/create/resources.js")).runCreateReceiver,
};

export function register(create: Command): void {
  const receiver = create.command("receiver").description("Create or update a Receiver resource");
  checkedFlag(
    receiver,
    "--type <generic|generic-hmac|github|gitlab|bitbucket|harbor|dockerhub|quay|gcr|nexus|acr|cdevents>",
    "the receiver type",
    receiverType,
  );
  str(receiver, "--secret-ref <string>", "");
  sliceFlag(receiver, "--event <strings>", "also accepts comma-separated values");
  sliceFlag(receiver, "--resource <strings>", "also accepts comma-separated values");
  bind(createArgs(receiver), binding);
}
