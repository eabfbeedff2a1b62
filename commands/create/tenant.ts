// flux create tenant
import type { Command } from "commander";
import { bind, type Binding, type Invocation } from "../../src/cli/action.js";
import { boolFlag, sliceFlag } from "../../src/cli/flags.js";
import type { CreateTenantOptions } from "../../src/create/options.js";
import { createArgs, createOptions, str } from "./flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateTenantOptions {
  return {
    ...createOptions(inv),
    withNamespace: inv.listOpt("withNamespace"),
    withServiceAccount: inv.str("withServiceAccount"),
    clusterRole: inv.opt("clusterRole"),
    skipNamespace: inv.bool("skipNamespace"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateTenantOptions> = {
  options,
  engine: async () => (await import("../../src/create/resources.js")).runCreateTenant,
};

export function register(create: Command): void {
  const tenant = create.command("tenant").description("Create or update a tenant");
  tenant.summary("Create or update a tenant");
  sliceFlag(tenant, "--with-namespace <strings>", "namespace belonging to this tenant");
  str(tenant, "--with-service-account <string>", "service account belonging to this tenant");
  str(tenant, "--cluster-role <string>", "cluster role of the tenant role binding", "cluster-admin");
  boolFlag(tenant, "--skip-namespace", "skip namespace creation (namespace must exist already)");
  bind(createArgs(tenant), binding);
}
